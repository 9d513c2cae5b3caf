// The advisory locks that serialise writes to one domain's assignments and services (decision 002): a domain
// default write excludes every other write in the domain; a write to one service shares the domain and excludes
// other writes to that service. Transaction-scoped: released at COMMIT or ROLLBACK.
import "server-only";
import type { Query, Statement } from "@/db/types";

export type LockScope = { clientId: string; domainId: string; serviceId: string | null };

/** The lock statement for a write to the domain (serviceId null) or to one service of it; prepared by name. */
export function scopeLockStatement({ clientId, domainId, serviceId }: LockScope): Statement {
  const domainLock = `${clientId}/${domainId}`;
  return serviceId === null
    ? {
        name: "scope_lock_domain_v1",
        text: "select pg_advisory_xact_lock(hashtextextended($1, 0))",
        params: [domainLock],
      }
    : {
        name: "scope_lock_service_v1",
        text: "select pg_advisory_xact_lock_shared(hashtextextended($1, 0)), pg_advisory_xact_lock(hashtextextended($2, 0))",
        params: [domainLock, `${domainLock}/${serviceId}`],
      };
}

/** Takes the scope's locks in the caller's transaction (waits for the writers holding them to commit). */
export async function lockScope(q: Query, scope: LockScope): Promise<void> {
  const { text, params, name } = scopeLockStatement(scope);
  await q(text, params, name);
}
