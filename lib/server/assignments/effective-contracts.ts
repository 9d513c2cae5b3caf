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
  return builder
    .select({
      scope: assignments.scope,
      assignment_key: assignments.assignmentKey,
      assignment_id: assignments.assignmentId,
      model_id: assignments.modelId,
      model_version: assignments.modelVersion,
      features: modelVersions.features,
    })
    .from(assignments)
    .innerJoin(
      modelVersions,
      and(
        eq(modelVersions.modelId, assignments.modelId),
        eq(modelVersions.version, assignments.modelVersion),
      ),
    )
    .where(
      and(
        eq(assignments.clientId, clientId),
        eq(assignments.domainId, domainId),
        eq(assignments.status, "active"),
        or(eq(assignments.scope, ""), scopes),
      ),
    );
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
