import type { IncomingMessage, ServerResponse } from "node:http";

type RouteEntry = { template: string };
type Routed = { template: string; params: Record<string, string | string[]> };

/** A router over route templates with Next's precedence (static, dynamic, catch-all). */
export declare function createTemplateRouter<E extends RouteEntry>(
  entries: E[],
): (parts: string[]) => { route: E; params: Record<string, string | string[]> } | undefined;

export declare function createV2Dispatcher(options: { distDir: string; port: number }): Promise<{
  route: (method: string, pathname: string) => Routed | undefined;
  serve: (req: IncomingMessage, res: ServerResponse, routed: Routed) => Promise<void>;
  /** Bodies of answers made without a body stream for this path (lib/server/http/host-body.ts). */
  answerBodies: WeakMap<Response, string | Uint8Array>;
  /** Bodies of requests this path read before calling the handler (decision 129). */
  requestBodies: WeakMap<Request, Uint8Array>;
  templates: string[];
} | null>;

/** The largest request body the fast path reads before calling the handler; longer ones stream. */
export declare const READ_AHEAD_MAX: number;
