// The read behind "stays compatible after the change": active domain defaults and some services' own active
// assignments, with their contracts. The rule itself is lib/features/contracts-after-change (pure).
import "server-only";
import { and, eq, inArray, or } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import { assignments, modelVersions } from "@/db/schema";
import type { Query, Tx } from "@/db/types";
import type { EffectiveEntry } from "@/lib/features/contracts-after-change";

const builder = new QueryBuilder();

/**
 * Active domain defaults and the given services' own active assignments, with their contracts: one query, defined
 * once with the query builder, run either through the raw Query of a batch transaction (the upsert's plan) or on
 * a Drizzle transaction (the service writes). The selected keys are the column names, so both give the same rows.
 */
function effectiveEntriesQuery(clientId: string, domainId: string, serviceIds: string[]) {
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
        or(eq(assignments.scope, ""), inArray(assignments.scope, serviceIds)),
      ),
    );
}

/** The entries, through the raw Query of a batch transaction. */
export function loadEffectiveEntries(
  q: Query,
  clientId: string,
  domainId: string,
  serviceIds: string[],
): Promise<EffectiveEntry[]> {
  const { sql, params } = effectiveEntriesQuery(clientId, domainId, serviceIds).toSQL();
  return q<EffectiveEntry>(sql, params);
}

/** The entries, on a Drizzle transaction. */
export async function readEffectiveEntries(
  tx: Pick<Tx, "execute">,
  clientId: string,
  domainId: string,
  serviceIds: string[],
): Promise<EffectiveEntry[]> {
  // Both drivers answer execute() with { rows }: the raw rows, as loadEffectiveEntries gets them.
  const result = await tx.execute(effectiveEntriesQuery(clientId, domainId, serviceIds));
  return (result as unknown as { rows: EffectiveEntry[] }).rows;
}
