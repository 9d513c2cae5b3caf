// The one rule for "stays compatible after the change": the contracts a service must satisfy once a change is made
// (for each key, its own active assignment's version, else the domain default's), and whether its features do.
// Used by assignment writes (decideUpsert) and service writes (create, PATCH) alike.
import type { BlockingService } from "@/lib/schemas/features";
import { blockingEntry } from "./blocking-services";
import { checkCompatibility } from "./check-compatibility";
import type { FeatureDefinition, Features } from "./types";

/** An active assignment (a domain default when `scope` is "", else a service's own) with its version's contract. */
export type EffectiveEntry = {
  scope: string;
  assignment_key: string;
  assignment_id: string;
  model_id: string;
  model_version: string;
  features: FeatureDefinition[];
};

/**
 * A change to one key's assignment: of the domain default (`serviceId` null) or of a service's override; `contract`
 * is the new active revision's contract, or null when the change retires the key (status "archived").
 */
export type AssignmentChange = {
  serviceId: string | null;
  key: string;
  contract: readonly FeatureDefinition[] | null;
};

type KeySlots = Map<string, { own?: EffectiveEntry; dflt?: EffectiveEntry }>;

/** Per key, the service's own entry and the domain default entry, in the order the entries came. */
function slotsFor(entries: readonly EffectiveEntry[], serviceId: string): KeySlots {
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

/**
 * The contracts effective for `serviceId` after `change` (none: as things are): per key its own assignment, else the
 * domain default. The changed key's new contract, when it is the one that applies, comes last; the others keep the
 * entries' order. `entries` must hold the domain defaults and the service's own assignments (every key).
 */
export function contractsAfterChange(
  entries: readonly EffectiveEntry[],
  serviceId: string,
  change?: AssignmentChange,
): (readonly FeatureDefinition[])[] {
  const contracts: (readonly FeatureDefinition[])[] = [];
  const changesThis = change !== undefined && (change.serviceId ?? serviceId) === serviceId;
  let target: readonly FeatureDefinition[] | null = null;
  const slots = slotsFor(entries, serviceId);
  if (changesThis && !slots.has(change.key)) slots.set(change.key, {});
  for (const [key, slot] of slots) {
    if (changesThis && key === change.key) {
      if (change.serviceId !== null) {
        // The service's own assignment changes: the new one, or the domain default once it is retired.
        if (change.contract) target = change.contract;
        else if (slot.dflt) contracts.push(slot.dflt.features);
      } else if (slot.own) {
        // The domain default changes, but the service's own assignment is what applies to it.
        contracts.push(slot.own.features);
      } else if (change.contract) {
        target = change.contract;
      }
      continue;
    }
    const effective = slot.own ?? slot.dflt;
    if (effective) contracts.push(effective.features);
  }
  if (target) contracts.push(target);
  return contracts;
}

/** The service's blocking entry after `change` (none: as things are), or null when it satisfies every contract. */
export function blockingAfterChange(
  entries: readonly EffectiveEntry[],
  serviceId: string,
  features: Features,
  change?: AssignmentChange,
): BlockingService | null {
  return blockingEntry(
    serviceId,
    contractsAfterChange(entries, serviceId, change).map((c) =>
      checkCompatibility(serviceId, features, c),
    ),
  );
}
