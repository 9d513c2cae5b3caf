// The contracts a service must satisfy: for each key, its own active assignment's version, else the domain default's.
import "server-only";
import { and, eq, inArray, or } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import { assignments, modelVersions } from "@/db/schema";
import type { Query, Tx } from "@/db/types";
import type { FeatureDefinition } from "@/lib/features/types";

type EffectiveEntry = {
  scope: string;
  assignment_key: string;
  assignment_id: string;
  model_id: string;
  model_version: string;
  features: FeatureDefinition[];
};

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

type KeySlots = Map<string, { own?: EffectiveEntry; dflt?: EffectiveEntry }>;

/** Per key, the service's own entry and the domain default entry. */
export function slotsFor(entries: readonly EffectiveEntry[], serviceId: string): KeySlots {
  const byKey: KeySlots = new Map();
  for (const e of entries) {
    if (e.scope !== "" && e.scope !== serviceId) continue;
    const slot = byKey.get(e.assignment_key) ?? {};
    if (e.scope === "") slot.dflt = e;
    else slot.own = e;
    byKey.set(e.assignment_key, slot);
  }
  return byKey;
}

/** The entries effective for a service now: own first, else the domain default, per key. */
export function effectiveEntriesFor(
  entries: readonly EffectiveEntry[],
  serviceId: string,
): EffectiveEntry[] {
  const out: EffectiveEntry[] = [];
  for (const slot of slotsFor(entries, serviceId).values()) {
    const effective = slot.own ?? slot.dflt;
    if (effective) out.push(effective);
  }
  return out;
}
