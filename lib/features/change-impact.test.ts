import { describe, expect, it } from "vitest";
import { canonicalJson, changeImpact } from "./change-impact";
import type { EffectiveEntry } from "./contracts-after-change";
import {
  decideUpsert,
  type DomainService,
  type RevisionFacts,
  type UpsertContext,
  type UpsertRequest,
  type UpsertTarget,
} from "./decide-upsert";
import type { FeatureDefinition, Features } from "./types";

const V1: FeatureDefinition[] = [
  { key: "mode", type: "enum", required: true, allowed_values: ["tram", "bus"] },
];
const V2: FeatureDefinition[] = [...V1, { key: "route", type: "string", required: true }];

const body = (over: Partial<UpsertRequest> = {}): UpsertRequest => ({
  model_id: "m",
  model_version: "2",
  status: "active",
  settings: {},
  metadata: {},
  ...over,
});
const target = (serviceId: string | null, over: Partial<UpsertRequest> = {}): UpsertTarget => ({
  clientId: "c",
  domainId: "d",
  serviceId,
  key: "default",
  body: body(over),
});
const active: RevisionFacts = {
  assignment_id: "00000000-0000-4000-8000-000000000001",
  revision: 1,
  model_id: "m",
  model_version: "1",
  role: null,
  settings: {},
  metadata: {},
};
const dflt: EffectiveEntry = {
  scope: "",
  assignment_key: "default",
  assignment_id: active.assignment_id,
  model_id: "m",
  model_version: "1",
  features: V1,
};
const svc = (id: string, features: Features, overridden = false): DomainService => ({
  id,
  features,
  overridden,
});
const context = (over: Partial<UpsertContext> = {}): UpsertContext => ({
  client_exists: true,
  domain_status: "active",
  service: { status: "active", features: { mode: "tram" } },
  named: null,
  model_exists: true,
  contract: V2,
  active,
  latest: active,
  entries: [],
  services: [],
  ...over,
});

function impactOf(t: UpsertTarget, ctx: UpsertContext, entries: EffectiveEntry[]) {
  return changeImpact(t, {
    decision: decideUpsert(t, ctx),
    active: ctx.active,
    entries,
    contract: ctx.contract,
  });
}

describe("changeImpact", () => {
  it("a domain default move: the services it applies to move from → to; blocking and the contract diff", () => {
    const ctx = context({
      services: [
        svc("a", { mode: "tram", route: "r" }),
        svc("b", { mode: "bus" }),
        svc("o", { mode: "bus" }, true),
      ],
    });
    const impact = impactOf(target(null), ctx, [dflt]);
    expect(impact.base_assignment_id).toBe(active.assignment_id);
    expect(impact.moves).toEqual([
      {
        from: { model_id: "m", model_version: "1", source: "domain_default" },
        to: { model_id: "m", model_version: "2", source: "domain_default" },
        service_ids: ["a", "b"],
      },
    ]);
    expect(impact.blocking_services).toEqual([
      { service_id: "b", missing: ["route"], invalid: [] },
    ]);
    expect(impact.contract_diff).toMatchObject({ from: "m@1", to: "m@2", breaking: true });
    expect(impact.contract_diff!.changes.map((c) => c.key)).toEqual(["route"]);
    expect(impact.refusal).toBeNull();
  });

  it("the same version again moves nothing; a settings change is still a change", () => {
    const ctx = context({ contract: V1, services: [svc("a", { mode: "tram" })] });
    const impact = impactOf(target(null, { model_version: "1", settings: { x: 1 } }), ctx, [dflt]);
    expect(impact.moves).toEqual([]);
    expect(impact.unchanged).toBe(false);
    expect(impact.contract_diff).toMatchObject({ breaking: false, changes: [] });
  });

  it("a service override moves that service from the domain default to its own version", () => {
    const ctx = context({
      active: null,
      latest: null,
      service: { status: "active", features: { mode: "tram", route: "r" } },
    });
    const impact = impactOf(target("s1"), ctx, [dflt]);
    expect(impact.base_assignment_id).toBeNull();
    expect(impact.moves).toEqual([
      {
        from: { model_id: "m", model_version: "1", source: "domain_default" },
        to: { model_id: "m", model_version: "2", source: "service" },
        service_ids: ["s1"],
      },
    ]);
  });

  it("retiring a service override moves it back to the domain default, with no contract diff", () => {
    const own: EffectiveEntry = {
      ...dflt,
      scope: "s1",
      assignment_id: "own",
      model_version: "2",
      features: V2,
    };
    const ctx = context({ active: { ...active, assignment_id: "own", model_version: "2" } });
    const impact = impactOf(target("s1", { status: "archived" }), ctx, [dflt, own]);
    expect(impact.moves).toEqual([
      {
        from: { model_id: "m", model_version: "2", source: "service" },
        to: { model_id: "m", model_version: "1", source: "domain_default" },
        service_ids: ["s1"],
      },
    ]);
    expect(impact.contract_diff).toBeNull();
  });

  it("a refusal is part of the impact (and nothing else is)", () => {
    const impact = impactOf(target(null), context({ model_exists: false }), [dflt]);
    expect(impact.refusal).toMatchObject({
      status: 422,
      message: expect.stringMatching(/not in the registry/),
    });
    expect(impact.moves).toEqual([]);
  });

  it("the same read gives the same impact; another base revision gives another", () => {
    const ctx = context({ services: [svc("a", { mode: "tram" })] });
    const one = impactOf(target(null), ctx, [dflt]);
    expect(canonicalJson(impactOf(target(null), ctx, [dflt]))).toBe(canonicalJson(one));
    const moved = impactOf(
      target(null),
      context({ ...ctx, active: { ...active, assignment_id: "other" } }),
      [dflt],
    );
    expect(canonicalJson(moved)).not.toBe(canonicalJson(one));
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and leaves no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
  it("is the same for the same value in any key order, and differs when a value differs", () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
    expect(canonicalJson({ x: 1, y: [1, 2] })).not.toBe(canonicalJson({ x: 1, y: [2, 1] }));
  });
  it("leaves undefined out of objects and writes it null in arrays, as JSON does", () => {
    expect(canonicalJson({ a: undefined, b: null, c: [undefined] })).toBe('{"b":null,"c":[null]}');
    expect(canonicalJson("é\n")).toBe(JSON.stringify("é\n"));
  });
});
