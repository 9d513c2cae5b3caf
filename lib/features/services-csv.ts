// The services page's CSV import of provided features, outside any move: each service's values are checked
// against the versions it runs now (one per assignment key), with the editor's parser and validator
// (blockers-csv), and what would change is summed up before the one bulk write (PATCH …/services).
import type { ServiceContracts, ServiceUpdate } from "./blockers-csv";
import { jsonEqual } from "./json-equal";
import type { FeatureDefinition, FeatureValue, Features } from "./types";

export type VersionRef = { model_id: string; model_version: string };

/** `model@version`, as messages and the console name a version. */
export const versionLabel = (v: VersionRef) => `${v.model_id}@${v.model_version}`;

/**
 * Each service's contracts: the versions effective for it (`effective`, per key, from the services list with
 * include=effective) and their features (`contracts`, by `model@version`). A service that runs nothing has no
 * contract, so no feature can be imported for it.
 */
export function serviceContracts(
  effective: ReadonlyMap<string, readonly VersionRef[]>,
  contracts: ReadonlyMap<string, readonly FeatureDefinition[]>,
): ServiceContracts {
  const known = new Set<string>();
  for (const features of contracts.values()) for (const d of features) known.add(d.key);
  return {
    known,
    knownLabel: "any version assigned in this domain",
    of: (serviceId) => {
      const versions = [...new Set((effective.get(serviceId) ?? []).map(versionLabel))];
      const definitions = new Map<string, FeatureDefinition[]>();
      for (const label of versions)
        for (const d of contracts.get(label) ?? [])
          definitions.set(d.key, [...(definitions.get(d.key) ?? []), d]);
      return {
        label: versions.length > 0 ? versions.join(", ") : "any version: the service runs none",
        definitions,
      };
    },
  };
}

/** One value the import changes. */
export type FeatureChange = { service_id: string; feature: string; from: unknown; to: unknown };

export type ImportPlan = {
  /** The bulk write's items: each service with a change, only its changed features. */
  items: { service_id: string; provided_features: Record<string, FeatureValue> }[];
  changes: FeatureChange[];
  /** Per feature, how many services it changes, most first. */
  byFeature: { feature: string; services: number }[];
  /** Values the file sets to what the service already has. */
  unchanged: number;
};

/** What the validated updates change, against the services' current features. */
export function planImport(
  updates: readonly ServiceUpdate[],
  current: ReadonlyMap<string, Features>,
): ImportPlan {
  const items: ImportPlan["items"] = [];
  const changes: FeatureChange[] = [];
  const counts = new Map<string, number>();
  let unchanged = 0;
  for (const update of updates) {
    const features = current.get(update.service_id) ?? {};
    const changed: Record<string, FeatureValue> = {};
    for (const [feature, to] of Object.entries(update.static_features)) {
      const from = Object.hasOwn(features, feature) ? features[feature] : undefined;
      if (from !== undefined && jsonEqual(from, to)) {
        unchanged += 1;
        continue;
      }
      changed[feature] = to;
      changes.push({ service_id: update.service_id, feature, from, to });
      counts.set(feature, (counts.get(feature) ?? 0) + 1);
    }
    if (Object.keys(changed).length > 0)
      items.push({ service_id: update.service_id, provided_features: changed });
  }
  const byFeature = [...counts]
    .map(([feature, services]) => ({ feature, services }))
    .sort((a, b) => b.services - a.services || a.feature.localeCompare(b.feature));
  return { items, changes, byFeature, unchanged };
}
