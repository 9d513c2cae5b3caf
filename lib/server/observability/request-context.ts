// The current request's context, set up by the production server (scripts/server.mjs) with AsyncLocalStorage:
// route code records who the caller is, and the server writes it into the request's log line. Absent (undefined)
// outside that server (tests calling handlers directly, `next dev`).
import "server-only";
import type { AsyncLocalStorage } from "node:async_hooks";

type RequestStore = { requestId: string; actor?: string };

const KEY = Symbol.for("model-console.request-context");

export function currentRequest(): RequestStore | undefined {
  const storage = (globalThis as { [KEY]?: AsyncLocalStorage<RequestStore> })[KEY];
  return storage?.getStore();
}
