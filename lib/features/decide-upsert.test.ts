import { describe, expect, it } from "vitest";
import type { EffectiveEntry } from "./contracts-after-change";
import {
  decideUpsert,
  refuseUpsert,
  upsertReads,
  type DomainService,
  type RevisionFacts,
  type UpsertContext,
  type UpsertDecision,
  type UpsertRequest,
  type UpsertTarget,
} from "./decide-upsert";
import type { FeatureDefinition, Features } from "./types";

// V1 needs a tram or bus mode and a whole number of stops; V2 also a route.
const V1: FeatureDefinition[] = [
  { key: "mode", type: "enum", required: true, allowed_values: ["tram", "bus"] },
  { key: "stops", type: "integer", required: true },
];
const V2: FeatureDefinition[] = [...V1, { key: "route", type: "string", required: true }];
const ETA: FeatureDefinition[] = [{ key: "eta_window", type: "number", required: true }];
const GOOD: Features = { mode: "tram", stops: 12 };

const body = (over: Partial<UpsertRequest> = {}): UpsertRequest => ({
  model_id: "m",
  model_version: "1",
  status: "active",
  settings: {},
  metadata: {},
  ...over,
});
const domainTarget = (over: Partial<UpsertRequest> = {}): UpsertTarget => ({
  clientId: "c",
  domainId: "d",
  serviceId: null,
  key: "default",
  body: body(over),
});
const serviceTarget = (over: Partial<UpsertRequest> = {}): UpsertTarget => ({
  ...domainTarget(over),
  serviceId: "svc-1",
});

const revision = (over: Partial<RevisionFacts> = {}): RevisionFacts => ({
  assignment_id: "00000000-0000-4000-8000-000000000001",
  revision: 1,
  model_id: "m",
  model_version: "1",
  role: null,
  settings: {},
  metadata: {},
  ...over,
});
const context = (over: Partial<UpsertContext> = {}): UpsertContext => ({
  client_exists: true,
  domain_status: "active",
  service: { status: "active", features: GOOD },
  named: null,
  model_exists: true,
  contract: V1,
  active: null,
  latest: null,
  entries: [],
  services: [],
  ...over,
});
const entry = (scope: string, key: string, features: FeatureDefinition[]): EffectiveEntry => ({
  scope,
  assignment_key: key,
  assignment_id: `${scope || "domain"}-${key}`,
  model_id: "m",
  model_version: String(features.length),
  features,
});
const svc = (id: string, features: Features, overridden = false): DomainService => ({
  id,
  features,
  overridden,
});

function decided(target: UpsertTarget, ctx: UpsertContext): UpsertDecision {
  const result = decideUpsert(target, ctx);
  if (result.kind !== "decision") throw new Error(`refused: ${result.message}`);
  return result;
}

describe("refusals", () => {
  const cases: [string, UpsertTarget, Partial<UpsertContext>, number, RegExp, string?][] = [
    ["unknown client", domainTarget(), { client_exists: false }, 404, /Client "c" not found/],
    [
      "unknown domain",
      domainTarget(),
      { domain_status: null },
      404,
      /Domain "d" not found in client "c"/,
    ],
    [
      "unknown service",
      serviceTarget(),
      { service: null },
      404,
      /Service "svc-1" not found in domain "d"/,
    ],
    [
      "inactive domain",
      domainTarget(),
      { domain_status: "inactive" },
      422,
      /Domain "d" is not active/,
      "domain_inactive",
    ],
    [
      "departed service",
      serviceTarget(),
      { service: { status: "departed", features: GOOD } },
      422,
      /Service "svc-1" has departed/,
      "service_departed",
    ],
    [
      "a patch of a service not in the domain",
      domainTarget({ service_updates: [{ service_id: "svc-9", static_features: {} }] }),
      { named: null },
      404,
      /service_updates names service "svc-9", which is not in domain "d"/,
    ],
    [
      "a patch of a departed service",
      domainTarget({ service_updates: [{ service_id: "svc-2", static_features: {} }] }),
      { named: [{ id: "svc-2", status: "departed", features: {} }] },
      422,
      /"svc-2", which has departed/,
      "service_departed",
    ],
    [
      "a patch of another service on a service's route",
      serviceTarget({ service_updates: [{ service_id: "svc-2", static_features: {} }] }),
      { named: [{ id: "svc-2", status: "active", features: {} }] },
      400,
      /may only patch "svc-1" itself; patch "svc-2" through the domain default route \(PUT \/v2\/clients\/c\/domains\/d\/assignments\/default\)/,
    ],
    [
      "a restore of a revision the key does not have yet",
      domainTarget({ restored_from_revision: 1 }),
      {},
      422,
      /restored_from_revision 1 names no revision: key "default" has none yet/,
    ],
    [
      "a restore of a later revision",
      domainTarget({ restored_from_revision: 3 }),
      { latest: revision({ revision: 2 }) },
      422,
      /its revisions are 1 to 2/,
    ],
    [
      "an unregistered model",
      domainTarget(),
      { model_exists: false, contract: null },
      422,
      /Model "m" is not in the registry/,
      "model_not_registered",
    ],
    [
      "an unregistered version",
      domainTarget(),
      { contract: null },
      422,
      /Model "m" has no version "1" in the registry/,
      "version_not_registered",
    ],
  ];

  it.each(cases)("refuses %s", (_, target, over, status, message, reason) => {
    const result = decideUpsert(target, context(over));
    if (result.kind !== "refusal") throw new Error("not refused");
    expect([result.status, result.reason]).toEqual([status, reason]);
    expect(result.message).toMatch(message);
    // The same refusal comes from the context row alone, before any further read.
    expect(refuseUpsert(target, context(over))).toEqual(result);
  });

  it("refuses in order: the target before the patches, the patches before the model", () => {
    const target = domainTarget({
      service_updates: [{ service_id: "svc-9", static_features: {} }],
    });
    expect(decideUpsert(target, context({ domain_status: null }))).toMatchObject({ status: 404 });
    expect(decideUpsert(target, context({ contract: null }))).toMatchObject({
      status: 404,
      message: expect.stringMatching(/svc-9/),
    });
  });

  it("accepts a restore of an existing revision", () => {
    const result = decideUpsert(
      domainTarget({ restored_from_revision: 2 }),
      context({ latest: revision({ revision: 2 }) }),
    );
    expect(result.kind).toBe("decision");
  });
});

describe("upsertReads", () => {
  it("reads nothing more for a service's PUT without patches (the seed PUT)", () => {
    expect(upsertReads(serviceTarget())).toEqual({ entriesOf: null, domainServices: false });
  });

  it("reads the service's entries when its override is retired", () => {
    expect(upsertReads(serviceTarget({ status: "archived" }))).toEqual({
      entriesOf: ["svc-1"],
      domainServices: false,
    });
  });

  it("reads the patched services' entries and, for a domain default, the domain's services", () => {
    const updates = ["a", "b"].map((id) => ({ service_id: id, static_features: {} }));
    expect(upsertReads(domainTarget({ service_updates: updates }))).toEqual({
      entriesOf: ["a", "b"],
      domainServices: true,
    });
    expect(upsertReads(domainTarget())).toEqual({ entriesOf: null, domainServices: true });
  });
});

describe("a service's own assignment", () => {
  it("plans a compatible write with nothing blocking and no preview changes", () => {
    expect(decided(serviceTarget(), context())).toEqual({
      kind: "decision",
      patches: [],
      pins: [],
      changes: [],
      blocking: [],
      unchanged: false,
    });
  });

  it("blocks a service whose enum value is not allowed", () => {
    const ctx = context({ service: { status: "active", features: { mode: "ship", stops: 3 } } });
    expect(decided(serviceTarget(), ctx).blocking).toEqual([
      {
        service_id: "svc-1",
        missing: [],
        invalid: [{ key: "mode", expected: "one of: tram, bus", got: '"ship"' }],
      },
    ]);
  });

  it("blocks a service that lacks a required feature or gives the wrong type", () => {
    const ctx = context({ service: { status: "active", features: { mode: "bus", stops: 2.5 } } });
    expect(
      decided(serviceTarget({ model_version: "2" }), { ...ctx, contract: V2 }).blocking,
    ).toEqual([
      {
        service_id: "svc-1",
        missing: ["route"],
        invalid: [{ key: "stops", expected: "integer", got: "2.5" }],
      },
    ]);
  });

  it("checks the service's other keys only when its features change", () => {
    const entries = [entry("", "eta", ETA)];
    // Unpatched: the other key's contract is the service's own business (it was checked when written).
    expect(decided(serviceTarget(), context({ entries })).blocking).toEqual([]);
    const patch = serviceTarget({
      service_updates: [{ service_id: "svc-1", static_features: { stops: 13 } }],
    });
    const named = [{ id: "svc-1", status: "active" as const, features: GOOD }];
    expect(decided(patch, context({ entries, named })).blocking).toEqual([
      { service_id: "svc-1", missing: ["eta_window"], invalid: [] },
    ]);
  });

  it("a patch can make the service compatible, and is planned with its before and after", () => {
    const named = [{ id: "svc-1", status: "active" as const, features: { mode: "ship" } }];
    const target = serviceTarget({
      service_updates: [{ service_id: "svc-1", static_features: { mode: "bus", stops: 4 } }],
    });
    const plan = decided(target, context({ named, service: { status: "active", features: {} } }));
    expect(plan.blocking).toEqual([]);
    expect(plan.patches).toEqual([
      { id: "svc-1", before: { mode: "ship" }, after: { mode: "bus", stops: 4 } },
    ]);
  });

  it("retiring the override falls back to the domain default, which the service must satisfy", () => {
    const entries = [entry("", "default", V2), entry("svc-1", "default", V1)];
    expect(decided(serviceTarget({ status: "archived" }), context({ entries })).blocking).toEqual([
      { service_id: "svc-1", missing: ["route"], invalid: [] },
    ]);
    // With no domain default to fall back on, nothing is left to satisfy.
    const own = [entry("svc-1", "default", V2)];
    expect(
      decided(serviceTarget({ status: "archived" }), context({ entries: own })).blocking,
    ).toEqual([]);
  });
});

describe("a domain default", () => {
  const services = [
    svc("a", GOOD),
    svc("b", { mode: "ship", stops: 1 }),
    svc("c", { mode: "ship" }, true),
  ];

  it("blocks the services it would apply to, and previews each one's move", () => {
    const active = revision({ model_version: "0" });
    const plan = decided(domainTarget(), context({ services, active, service: null }));
    expect(plan.blocking).toEqual([
      {
        service_id: "b",
        missing: [],
        invalid: [{ key: "mode", expected: "one of: tram, bus", got: '"ship"' }],
      },
    ]);
    const from = {
      assignment_id: active.assignment_id,
      source: "domain_default",
      model_id: "m",
      model_version: "0",
    };
    const to = { assignment_id: null, source: "domain_default", model_id: "m", model_version: "1" };
    // c has its own assignment for the key: the default does not apply to it, so it is neither checked nor moved.
    expect(plan.changes).toEqual([
      { service_id: "a", from, to, compatible: true, missing: [], invalid: [] },
      {
        service_id: "b",
        from,
        to,
        compatible: false,
        missing: [],
        invalid: [{ key: "mode", expected: "one of: tram, bus", got: '"ship"' }],
      },
    ]);
  });

  it("retiring it checks nothing and moves every service it applied to to nothing", () => {
    const plan = decided(
      domainTarget({ status: "archived" }),
      context({ services, active: revision(), service: null }),
    );
    expect(plan.blocking).toEqual([]);
    expect(plan.changes.map((c) => [c.service_id, c.to, c.compatible])).toEqual([
      ["a", null, true],
      ["b", null, true],
    ]);
  });

  it("a patched service must satisfy the new default and its other keys", () => {
    const named = [{ id: "b", status: "active" as const, features: services[1]!.features }];
    const entries = [entry("", "eta", ETA)];
    const fix = domainTarget({
      service_updates: [{ service_id: "b", static_features: { mode: "bus" } }],
    });
    const plan = decided(fix, context({ services, named, entries, service: null }));
    expect(plan.blocking).toEqual([{ service_id: "b", missing: ["eta_window"], invalid: [] }]);
    const fixed = domainTarget({
      service_updates: [{ service_id: "b", static_features: { mode: "bus", eta_window: 1.5 } }],
    });
    expect(decided(fixed, context({ services, named, entries, service: null })).blocking).toEqual(
      [],
    );
  });

  it("a patched service with its own assignment for the key keeps satisfying that one", () => {
    const named = [{ id: "c", status: "active" as const, features: { mode: "ship" } }];
    const entries = [entry("c", "default", ETA)];
    const target = domainTarget({
      service_updates: [{ service_id: "c", static_features: { eta_window: 2 } }],
    });
    const plan = decided(target, context({ services, named, entries, service: null }));
    // b still blocks (the default applies to it); c is checked against its own version, not V1.
    expect(plan.blocking.map((b) => b.service_id)).toEqual(["b"]);
    const broken = domainTarget({
      service_updates: [{ service_id: "c", static_features: { eta_window: "soon" } }],
    });
    expect(decided(broken, context({ services, named, entries, service: null })).blocking).toEqual([
      {
        service_id: "b",
        missing: [],
        invalid: [{ key: "mode", expected: "one of: tram, bus", got: '"ship"' }],
      },
      {
        service_id: "c",
        missing: [],
        invalid: [{ key: "eta_window", expected: "number", got: '"soon"' }],
      },
    ]);
  });
});

describe("patches", () => {
  const named = [{ id: "a", status: "active" as const, features: { mode: "tram", stops: 3 } }];

  it("plans no patch for values the service already has, and removes a key for a null", () => {
    const same = domainTarget({
      service_updates: [{ service_id: "a", static_features: { mode: "tram" } }],
    });
    expect(decided(same, context({ named, service: null })).patches).toEqual([]);
    const remove = domainTarget({
      service_updates: [{ service_id: "a", static_features: { stops: null, route: "r" } }],
    });
    expect(decided(remove, context({ named, service: null })).patches).toEqual([
      { id: "a", before: { mode: "tram", stops: 3 }, after: { mode: "tram", route: "r" } },
    ]);
  });
});

describe("unchanged", () => {
  const active = revision({ settings: { a: 1, b: [1, 2] }, metadata: { team: "x" }, role: "r" });
  const same = { settings: { b: [1, 2], a: 1 }, metadata: { team: "x" }, role: "r" };

  it("is true when the body repeats the active revision (key order aside)", () => {
    expect(decided(serviceTarget(same), context({ active })).unchanged).toBe(true);
  });

  it.each<[string, Partial<UpsertRequest>]>([
    ["model", { model_id: "n" }],
    ["version", { model_version: "2" }],
    ["role", { role: null }],
    ["settings", { settings: { a: 2, b: [1, 2] } }],
    ["metadata", { metadata: {} }],
    ["status", { status: "archived" }],
  ])("is false when the %s differs", (_, over) => {
    expect(decided(serviceTarget({ ...same, ...over }), context({ active })).unchanged).toBe(false);
  });

  it("is false when a patch changes a service, even if the revision is the same", () => {
    const named = [{ id: "svc-1", status: "active" as const, features: GOOD }];
    const target = serviceTarget({
      ...same,
      service_updates: [{ service_id: "svc-1", static_features: { stops: 13 } }],
    });
    expect(decided(target, context({ active, named })).unchanged).toBe(false);
  });

  it("retiring a key already retired with the same content changes nothing; with no revision at all it does", () => {
    const retire = serviceTarget({ ...same, status: "archived" });
    expect(decided(retire, context({ latest: active })).unchanged).toBe(true);
    expect(decided(retire, context()).unchanged).toBe(false);
    expect(decided(serviceTarget(same), context({ latest: active })).unchanged).toBe(false);
  });
});

describe("pin_services", () => {
  const active = revision({ model_version: "1" });
  const move = (over: Partial<UpsertRequest> = {}) =>
    domainTarget({ model_version: "2", pin_services: ["b", "c"], ...over });
  const named = (ids: string[], status: "active" | "departed" = "active") =>
    ids.map((id) => ({ id, status, features: { mode: "tram", stops: 3 } }));
  const services = [
    svc("a", { mode: "tram", stops: 1, route: "r" }),
    svc("b", { mode: "tram", stops: 2 }),
    svc("c", { mode: "bus", stops: 3 }, true),
  ];

  it("keeps a pinned service on the active default: not moved, not blocking; an overridden one stays as it is", () => {
    const d = decided(
      move(),
      context({ contract: V2, active, latest: active, named: named(["b", "c"]), services }),
    );
    expect(d.blocking).toEqual([]);
    expect(d.pins).toEqual([{ service_id: "b", model_id: "m", model_version: "1" }]);
    expect(d.changes.map((c) => c.service_id)).toEqual(["a"]);
    expect(d.unchanged).toBe(false);
  });

  it("counts pins as a change even when the default's content stays", () => {
    const d = decided(
      domainTarget({ model_version: "1", pin_services: ["b"] }),
      context({ active, latest: active, named: named(["b"]), services }),
    );
    expect(d.unchanged).toBe(false);
    expect(d.pins).toHaveLength(1);
  });

  it("without the pin, the same service blocks", () => {
    const d = decided(
      move({ pin_services: [] }),
      context({ contract: V2, active, latest: active, named: [], services }),
    );
    expect(d.blocking.map((b) => b.service_id)).toEqual(["b"]);
  });

  const refusals: [string, UpsertTarget, Partial<UpsertContext>, number, RegExp][] = [
    ["an unknown service", move(), { named: named(["b"]) }, 422, /"c", which is not in domain "d"/],
    [
      "a departed service",
      move(),
      { named: [...named(["b"]), ...named(["c"], "departed")] },
      422,
      /"c", which has departed/,
    ],
    [
      "a service also patched",
      move({ service_updates: [{ service_id: "b", static_features: { route: "x" } }] }),
      { named: named(["b", "c"]) },
      422,
      /"b" is both in service_updates and in pin_services/,
    ],
    [
      "a domain without an active default",
      move(),
      { named: named(["b", "c"]), active: null },
      422,
      /no active domain default/,
    ],
    [
      "a service route",
      { ...move(), serviceId: "svc-1" },
      { named: named(["b", "c"]) },
      400,
      /pin_services belongs on the domain default route/,
    ],
  ];
  it.each(refusals)("refuses %s", (_name, target, over, status, message) => {
    const refusal = refuseUpsert(
      target,
      context({ contract: V2, active, latest: active, ...over }),
    );
    expect(refusal).toMatchObject({ kind: "refusal", status });
    expect(refusal!.message).toMatch(message);
  });
});
