// Properties of decideUpsert over small random domains, against an oracle written here from the rules themselves
// (which assignment applies to a service, and what a contract asks of a value), not from the code under test.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EffectiveEntry } from "./contracts-after-change";
import {
  decideUpsert,
  upsertReads,
  type UpsertContext,
  type UpsertRequest,
  type UpsertTarget,
} from "./decide-upsert";
import { FEATURE_TYPES, type FeatureDefinition, type Features } from "./types";

const SERVICES = ["s1", "s2", "s3"] as const;
const KEYS = ["k1", "k2"] as const;
const FEATURE_KEYS = ["mode", "stops", "route"] as const;
const VALUES = ["tram", "bus", "x", 1, 2.5, -3, true, false] as const;

const featureDefinition = (key: string) =>
  fc.record(
    {
      key: fc.constant(key),
      type: fc.constantFrom(...FEATURE_TYPES),
      required: fc.boolean(),
      default: fc.option(fc.constantFrom("tram", 1, true), { nil: undefined }),
      allowed_values: fc.subarray(["tram", "bus"]),
    },
    { requiredKeys: ["key", "type", "required"] },
  );
const contractArb: fc.Arbitrary<FeatureDefinition[]> = fc
  .subarray([...FEATURE_KEYS])
  .chain((keys) => fc.tuple(...keys.map(featureDefinition)));
const featuresArb: fc.Arbitrary<Features> = fc.dictionary(
  fc.constantFrom(...FEATURE_KEYS),
  fc.constantFrom(...VALUES),
  { maxKeys: 3 },
);
const patchArb: fc.Arbitrary<Features> = fc.dictionary(
  fc.constantFrom(...FEATURE_KEYS),
  fc.oneof(fc.constantFrom(...VALUES), fc.constant(null)),
  { maxKeys: 3 },
);

/** A domain: each service's features, and the active assignments (scope "" is the domain default) by key. */
type World = {
  features: Record<string, Features>;
  assignments: { scope: string; key: string; contract: FeatureDefinition[] }[];
};
const worldArb: fc.Arbitrary<World> = fc.record({
  features: fc.record({ s1: featuresArb, s2: featuresArb, s3: featuresArb }),
  assignments: fc.uniqueArray(
    fc.record({
      scope: fc.constantFrom("", ...SERVICES),
      key: fc.constantFrom(...KEYS),
      contract: contractArb,
    }),
    { selector: (a) => `${a.scope}/${a.key}`, maxLength: 8 },
  ),
});
const targetArb: fc.Arbitrary<UpsertTarget> = fc.record({
  clientId: fc.constant("c"),
  domainId: fc.constant("d"),
  serviceId: fc.constantFrom(null, ...SERVICES),
  key: fc.constantFrom(...KEYS),
  body: fc.record(
    {
      model_id: fc.constant("m"),
      model_version: fc.constantFrom("1", "2"),
      status: fc.constantFrom("active" as const, "archived" as const),
      settings: fc.constant({}),
      metadata: fc.constant({}),
      service_updates: fc.uniqueArray(
        fc.record({ service_id: fc.constantFrom(...SERVICES), static_features: patchArb }),
        { selector: (u) => u.service_id, maxLength: 3 },
      ),
    },
    { requiredKeys: ["model_id", "model_version", "status", "settings", "metadata"] },
  ) as fc.Arbitrary<UpsertRequest>,
});

/** The target's route may patch only its own service: keep the generated patches to what the route allows. */
function allowedTarget(t: UpsertTarget): UpsertTarget {
  const updates = (t.body.service_updates ?? []).filter(
    (u) => t.serviceId === null || u.service_id === t.serviceId,
  );
  return { ...t, body: { ...t.body, service_updates: updates } };
}

/** What the database would answer for this target (the reads of plan-upsert.ts, done in memory). */
function read(world: World, target: UpsertTarget, contract: FeatureDefinition[]): UpsertContext {
  const entry = (a: World["assignments"][number]): EffectiveEntry => ({
    scope: a.scope,
    assignment_key: a.key,
    assignment_id: `${a.scope}/${a.key}`,
    model_id: "m",
    model_version: "1",
    features: a.contract,
  });
  const { entriesOf } = upsertReads(target);
  const scopeOfTarget = target.serviceId ?? "";
  const own = (scope: string) =>
    world.assignments.find((a) => a.scope === scope && a.key === target.key);
  return {
    client_exists: true,
    domain_status: "active",
    service:
      target.serviceId === null
        ? null
        : { status: "active", features: world.features[target.serviceId]! },
    named: (target.body.service_updates ?? []).map((u) => ({
      id: u.service_id,
      status: "active",
      features: world.features[u.service_id]!,
    })),
    model_exists: true,
    contract,
    active: own(scopeOfTarget)
      ? {
          assignment_id: "x",
          revision: 1,
          model_id: "m",
          model_version: "1",
          role: null,
          settings: {},
          metadata: {},
        }
      : null,
    latest: null,
    entries: entriesOf
      ? world.assignments.filter((a) => a.scope === "" || entriesOf.includes(a.scope)).map(entry)
      : [],
    services:
      target.serviceId === null
        ? SERVICES.map((id) => ({ id, features: world.features[id]!, overridden: !!own(id) }))
        : [],
  };
}

// ---- the oracle ----

function satisfies(features: Features, contract: FeatureDefinition[]): boolean {
  const seen = new Set<string>();
  return contract.every((f) => {
    if (seen.has(f.key)) return true;
    seen.add(f.key);
    const value = Object.hasOwn(features, f.key) ? features[f.key] : undefined;
    if (value === undefined || value === null)
      return !f.required || (f.default !== undefined && f.default !== null);
    if (f.type === "string") return typeof value === "string";
    if (f.type === "number") return typeof value === "number" && Number.isFinite(value);
    if (f.type === "integer") return typeof value === "number" && Number.isInteger(value);
    if (f.type === "boolean") return typeof value === "boolean";
    return typeof value === "string" && (f.allowed_values ?? []).includes(value);
  });
}

function patched(features: Features, patch: Features): Features {
  const out = { ...features };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * The services the write must leave compatible, each with its features after the patches and the contracts it must
 * satisfy after the change: a patched service (or one whose override is retired) every key's effective contract,
 * any other service the new contract where it applies to it.
 */
function mustSatisfy(
  world: World,
  target: UpsertTarget,
  contract: FeatureDefinition[],
): Map<string, { features: Features; contracts: FeatureDefinition[][] }> {
  const activating = target.body.status === "active";
  const after = world.assignments.filter(
    (a) => !(a.scope === (target.serviceId ?? "") && a.key === target.key),
  );
  if (activating) after.push({ scope: target.serviceId ?? "", key: target.key, contract });
  const effective = (id: string, key: string) =>
    after.find((a) => a.scope === id && a.key === key) ??
    after.find((a) => a.scope === "" && a.key === key);
  const updates = new Map((target.body.service_updates ?? []).map((u) => [u.service_id, u]));
  const out = new Map<string, { features: Features; contracts: FeatureDefinition[][] }>();
  const affected = target.serviceId === null ? [...SERVICES] : [target.serviceId];
  for (const id of affected) {
    const update = updates.get(id);
    const features = update
      ? patched(world.features[id]!, update.static_features)
      : world.features[id]!;
    const everyKey = update !== undefined || (target.serviceId !== null && !activating);
    const contracts: FeatureDefinition[][] = [];
    for (const key of everyKey ? KEYS : [target.key]) {
      const a = effective(id, key);
      // Unpatched, a service is checked only where the new revision applies to it.
      if (a && (everyKey || (activating && a.scope === (target.serviceId ?? ""))))
        contracts.push(a.contract);
    }
    out.set(id, { features, contracts });
  }
  return out;
}

describe("decideUpsert, properties", () => {
  it("blocks exactly the services the write would leave incompatible", () => {
    fc.assert(
      fc.property(worldArb, targetArb, contractArb, (world, generated, contract) => {
        const target = allowedTarget(generated);
        const result = decideUpsert(target, read(world, target, contract));
        expect(result.kind).toBe("decision");
        if (result.kind !== "decision") return;
        const incompatible = [...mustSatisfy(world, target, contract)]
          .filter(([, s]) => !s.contracts.every((c) => satisfies(s.features, c)))
          .map(([id]) => id);
        expect(result.blocking.map((b) => b.service_id)).toEqual(incompatible);
        // A blocking entry always says why.
        for (const b of result.blocking)
          expect(b.missing.length + b.invalid.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it("a planned write (nothing blocking) leaves every affected active service compatible", () => {
    fc.assert(
      fc.property(worldArb, targetArb, contractArb, (world, generated, contract) => {
        const target = allowedTarget(generated);
        const result = decideUpsert(target, read(world, target, contract));
        if (result.kind !== "decision" || result.blocking.length > 0) return;
        for (const [, s] of mustSatisfy(world, target, contract))
          for (const c of s.contracts) expect(satisfies(s.features, c)).toBe(true);
        // The patches it plans are the services' features after the change.
        for (const p of result.patches) {
          const update = target.body.service_updates!.find((u) => u.service_id === p.id)!;
          expect(p.after).toEqual(patched(world.features[p.id]!, update.static_features));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("decides from its arguments alone: a dry run and the real run, on the same read, decide the same", () => {
    fc.assert(
      fc.property(worldArb, targetArb, contractArb, (world, generated, contract) => {
        const target = allowedTarget(generated);
        const context = read(world, target, contract);
        const frozen = structuredClone({ target, context });
        const first = decideUpsert(target, context);
        // Neither argument is changed…
        expect({ target, context }).toEqual(frozen);
        // …and a second decision (a copy of the same read, as the real run after a dry run) is the same.
        expect(decideUpsert(frozen.target, frozen.context)).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });
});
