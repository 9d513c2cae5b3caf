// The contracts a service must satisfy: for each key, its own active assignment's version, else the domain default's.
import "server-only";
import { and, eq, inArray, or } from "drizzle-orm";
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

const EFFECTIVE_ENTRIES_SQL = `select a.scope, a.assignment_key, a.assignment_id, a.model_id, a.model_version, mv.features
  from assignments a
  join model_versions mv on mv.model_id = a.model_id and mv.version = a.model_version
  where a.client_id = $1 and a.domain_id = $2 and a.status = 'active' and (a.scope = '' or a.scope = any($3::text[]))`;

/** Active domain defaults and the given services' own active assignments, with their contracts, in one query. */
export function loadEffectiveEntries(
  q: Query,
  clientId: string,
  domainId: string,
  serviceIds: string[],
): Promise<EffectiveEntry[]> {
  return q<EffectiveEntry>(EFFECTIVE_ENTRIES_SQL, [clientId, domainId, serviceIds]);
}

/** The same read with the query builder, on a Drizzle transaction (the service writes, a cold path). */
export function readEffectiveEntries(
  tx: Pick<Tx, "select">,
  clientId: string,
  domainId: string,
  serviceIds: string[],
): Promise<EffectiveEntry[]> {
  return tx
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
