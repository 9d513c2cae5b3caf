// What every audited write carries besides its actor: the request id and the optional change reason. A route's
// context (RouteContext) is one. And the shapes every audited use case shares: `(database, input, options)`.
import "server-only";
import type { Actor } from "@/lib/shared/scopes";

export type WriteMeta = { requestId: string; reason?: string | null };

/** A use case's input: who writes, the request's meta, and the validated body. */
export type WriteInput<Body> = { actor: Actor; meta: WriteMeta; body: Body };

/** A use case's options: a dry run checks and answers everything, then rolls back. */
export type WriteOptions = { dryRun?: boolean };
