// The advisory locks that serialise writes to one domain's assignments and services (decision 002): a domain
// default write excludes every other write in the domain; a write to one service shares the domain and excludes
// other writes to that service. Transaction-scoped: released at COMMIT or ROLLBACK.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { prepared } from "@/db/statement";
import type { Statement, Tx } from "@/db/types";

export type LockScope = { clientId: string; domainId: string; serviceId: string | null };

/** The lock keys of a scope: the domain's, and the service's for a write to one service. */
function lockKeys({ clientId, domainId, serviceId }: LockScope) {
  const domain = `${clientId}/${domainId}`;
  return { domain, service: serviceId === null ? null : `${domain}/${serviceId}` };
}

/** The locks of a write to the domain (serviceId null) or to one service of it (the keys are bind parameters). */
function scopeLockSql(scope: LockScope): SQL {
  const { domain, service } = lockKeys(scope);
  return service === null
    ? sql`select pg_advisory_xact_lock(hashtextextended(${domain}, 0))`
    : sql`select pg_advisory_xact_lock_shared(hashtextextended(${domain}, 0)), pg_advisory_xact_lock(hashtextextended(${service}, 0))`;
}

const lockDomain = prepared(
  "scope_lock_domain_v1",
  ["domain"],
  (v) => sql`select pg_advisory_xact_lock(hashtextextended(${v.domain}, 0))`,
);
const lockService = prepared(
  "scope_lock_service_v1",
  ["domain", "service"],
  (v) =>
    sql`select pg_advisory_xact_lock_shared(hashtextextended(${v.domain}, 0)), pg_advisory_xact_lock(hashtextextended(${v.service}, 0))`,
);

/** The same locks as one statement of a batch transaction (rendered once, prepared by name). */
export function scopeLockStatement(scope: LockScope): Statement {
  const { domain, service } = lockKeys(scope);
  return service === null ? lockDomain({ domain }) : lockService({ domain, service });
}

/** Takes the scope's locks in the caller's Drizzle transaction (waits for the writers holding them to commit). */
export async function lockScope(tx: Pick<Tx, "execute">, scope: LockScope): Promise<void> {
  await tx.execute(scopeLockSql(scope));
}

/** A lock on any named thing for the rest of the transaction (the name is a bind parameter). */
export async function lockKey(tx: Pick<Tx, "execute">, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}
