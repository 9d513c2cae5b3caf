import { ServerResponse, type Server } from "node:http";

type ServerSettings = {
  port: number;
  hostname: string | undefined;
  logLevel: string;
  metricsToken: string | undefined;
  graceMs: number;
  delayMs: number;
  /** X-Forwarded-For is believed only when a reverse proxy in front sets it (TRUST_PROXY=1). */
  trustProxy: boolean;
  /** /v2 through Next's request pipeline instead of the fast path (V2_VIA_NEXT=1). */
  v2ViaNext: boolean;
};
export declare function readSettings(
  env: Record<string, string | undefined>,
  argv?: string[],
): ServerSettings;
/** The request log's time field as pino's isoTime writes it (`,"time":"…Z"`), for `now` (default: the clock). */
export declare function logTime(now?: number): string;
/** The log's destination: the lines of one turn of the event loop written together (decision 132). */
export declare function createLineBuffer(options?: {
  fd?: number;
  writeSync?: (fd: number, bytes: Buffer, offset: number, length: number) => number;
  maxPending?: number;
}): { write(line: string): void; flush(): void };
export declare class EncodingResponse extends ServerResponse {}
export declare function runServer(settings: ServerSettings): Promise<Server>;
