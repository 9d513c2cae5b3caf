// What every audited write carries besides its actor: the request id and the optional change reason. A route's
// context (RouteContext) is one.
export type WriteMeta = { requestId: string; reason?: string | null };
