// What every audited write carries besides its actor: the request id and the optional change reason. A route's
// context (RouteContext) is one.
import "server-only";
export type WriteMeta = { requestId: string; reason?: string | null };
