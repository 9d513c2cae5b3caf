// The read behind "stays compatible after the change": active domain defaults and some services' own active
// assignments, with their contracts. The rule itself is lib/features/contracts-after-change (pure).
import "server-only";
import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import { assignments, modelVersions } from "@/db/schema";
import type { Run } from "@/db/types";
import type { EffectiveEntry } from "@/lib/features/contracts-after-change";

const builder = new QueryBuilder();

/**
 * Active domain defaults and the given services' own active assignments, with their contracts: one query, defined
 * once with the query builder, run in the upsert's batch transaction or on a Drizzle transaction (the service
 * writes).
 */
function effectiveEntriesQuery(
  clientId: string,
  domainId: string,
  serviceIds: string[],
  scopes: SQL = inArray(assignments.scope, serviceIds),
) {
  return entriesWhere(
    and(
      eq(assignments.clientId, clientId),
      eq(assignments.domainId, domainId),
      eq(assignments.status, "active"),
      or(eq(assignments.scope, ""), scopes),
    ),
  );
}

const entryColumns = {
  scope: assignments.scope,
  assignment_key: assignments.assignmentKey,
  assignment_id: assignments.assignmentId,
  model_id: assignments.modelId,
  model_version: assignments.modelVersion,
  features: modelVersions.features,
};

/** The entries' select (with each one's domain when asked), joined with their contracts, where `where` says. */
function entriesWhere(where: SQL | undefined, withDomain = false) {
  return builder
    .select({
      ...(withDomain ? { domain_id: assignments.domainId } : {}),
      ...entryColumns,
    })
    .from(assignments)
    .innerJoin(
      modelVersions,
      and(
        eq(modelVersions.modelId, assignments.modelId),
        eq(modelVersions.version, assignments.modelVersion),
      ),
    )
    .where(where);
}

/** The entries, inside the caller's transaction: a batch's `run`, or `runOnTx(tx)` on a Drizzle transaction. */
export function readEffectiveEntries(
  run: Run,
  clientId: string,
  domainId: string,
  serviceIds: string[],
): Promise<EffectiveEntry[]> {
  return run<EffectiveEntry>(effectiveEntriesQuery(clientId, domainId, serviceIds).getSQL());
}

/**
 * The entries of several domains of one client in one statement (a change request's changes): per domain, its
 * active domain defaults and the named services' own active assignments. Keyed by domain.
 */
export async function readEffectiveEntriesOfDomains(
  run: Run,
  clientId: string,
  serviceIdsByDomain: ReadonlyMap<string, readonly string[]>,
): Promise<Map<string, EffectiveEntry[]>> {
  const byDomain = new Map<string, EffectiveEntry[]>(
    [...serviceIdsByDomain.keys()].map((d) => [d, []]),
  );
  if (byDomain.size === 0) return byDomain;
  const query = entriesWhere(
    and(
      eq(assignments.clientId, clientId),
      eq(assignments.status, "active"),
      or(
        ...[...serviceIdsByDomain].map(([domainId, ids]) =>
          and(
            eq(assignments.domainId, domainId),
            ids.length > 0
              ? or(eq(assignments.scope, ""), inArray(assignments.scope, [...ids]))
              : eq(assignments.scope, ""),
          ),
        ),
      ),
    ),
    true,
  );
  for (const { domain_id, ...entry } of await run<EffectiveEntry & { domain_id: string }>(
    query.getSQL(),
  ))
    byDomain.get(domain_id)?.push(entry);
  return byDomain;
}

/**
 * The same entries for many services (a bulk service write: up to 10,000): the ids are one array parameter, not
 * one bind parameter each.
 */
export function readEffectiveEntriesOfMany(
  run: Run,
  clientId: string,
  domainId: string,
  serviceIds: string[],
): Promise<EffectiveEntry[]> {
  const scopes = sql`${assignments.scope} = any(${sql.param(serviceIds)}::text[])`;
  return run<EffectiveEntry>(
    effectiveEntriesQuery(clientId, domainId, serviceIds, scopes).getSQL(),
  );
}
