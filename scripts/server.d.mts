import type { Server } from "node:http";

type ServerSettings = {
  port: number;
  hostname: string | undefined;
  logLevel: string;
  metricsToken: string | undefined;
  graceMs: number;
  delayMs: number;
};
export declare function readSettings(
  env: Record<string, string | undefined>,
  argv?: string[],
): ServerSettings;
export declare function runServer(settings: ServerSettings): Promise<Server>;
