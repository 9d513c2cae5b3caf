import { describe, expect, it } from "vitest";
import { checkCompatibility, findBlockingServices, isCompatible } from "./check-compatibility";
import type { FeatureDefinition } from "./types";

const ok = (service_id: string, unused: string[] = []) => ({
  service_id,
  compatible: true,
  missing: [],
  invalid: [],
  unused,
});

describe("checkCompatibility", () => {
  describe("empty contract", () => {
    it("is compatible with no features", () => {
      expect(checkCompatibility("svc-1", {}, [])).toEqual(ok("svc-1"));
    });

    it("reports every provided key as unused, sorted", () => {
      expect(checkCompatibility("svc-1", { zeta: 1, alpha: "a", Mid: true }, [])).toEqual(
        ok("svc-1", ["Mid", "alpha", "zeta"]),
      );
    });
  });

  describe("required features", () => {
    const contract: FeatureDefinition[] = [{ key: "route", type: "string", required: true }];

    it("is compatible when the required feature is provided", () => {
      expect(checkCompatibility("svc-001", { route: "route-a" }, contract)).toEqual(ok("svc-001"));
    });

    it("reports a missing required feature", () => {
      expect(checkCompatibility("svc-001", {}, contract)).toEqual({
        service_id: "svc-001",
        compatible: false,
        missing: ["route"],
        invalid: [],
        unused: [],
      });
    });

    it("treats a null value as missing", () => {
      expect(checkCompatibility("svc-001", { route: null }, contract)).toEqual({
        service_id: "svc-001",
        compatible: false,
        missing: ["route"],
        invalid: [],
        unused: [],
      });
    });

    it("treats an undefined value as missing", () => {
      expect(checkCompatibility("svc-001", { route: undefined }, contract)).toEqual({
        service_id: "svc-001",
        compatible: false,
        missing: ["route"],
        invalid: [],
        unused: [],
      });
    });

    it("accepts an empty string as present", () => {
      expect(checkCompatibility("svc-001", { route: "" }, contract)).toEqual(ok("svc-001"));
    });

    it("is satisfied by a non-null default when absent", () => {
      const withDefault: FeatureDefinition[] = [
        { key: "route", type: "string", required: true, default: "route-a" },
      ];
      expect(checkCompatibility("s", {}, withDefault)).toEqual(ok("s"));
      expect(checkCompatibility("s", { route: null }, withDefault)).toEqual(ok("s"));
    });

    it("accepts falsy defaults (0, false, empty string) as defaults", () => {
      const contractWithFalsyDefaults: FeatureDefinition[] = [
        { key: "n", type: "integer", required: true, default: 0 },
        { key: "b", type: "boolean", required: true, default: false },
        { key: "s", type: "string", required: true, default: "" },
      ];
      expect(checkCompatibility("s", {}, contractWithFalsyDefaults)).toEqual(ok("s"));
    });

    it("is not satisfied by a null default", () => {
      const nullDefault: FeatureDefinition[] = [
        { key: "route", type: "string", required: true, default: null },
      ];
      expect(checkCompatibility("s", {}, nullDefault)).toEqual({
        service_id: "s",
        compatible: false,
        missing: ["route"],
        invalid: [],
        unused: [],
      });
    });

    it("still type-checks a provided value when a default exists", () => {
      const withDefault: FeatureDefinition[] = [
        { key: "stops", type: "integer", required: true, default: 3 },
      ];
      expect(checkCompatibility("s", { stops: "ten" }, withDefault)).toEqual({
        service_id: "s",
        compatible: false,
        missing: [],
        invalid: [{ key: "stops", expected: "integer", got: '"ten"' }],
        unused: [],
      });
    });

    it("lists missing features in contract order", () => {
      const several: FeatureDefinition[] = [
        { key: "zulu", type: "string", required: true },
        { key: "alpha", type: "number", required: true },
        { key: "mike", type: "boolean", required: true },
      ];
      expect(checkCompatibility("s", {}, several)).toEqual({
        service_id: "s",
        compatible: false,
        missing: ["zulu", "alpha", "mike"],
        invalid: [],
        unused: [],
      });
    });
  });

  describe("optional features", () => {
    const contract: FeatureDefinition[] = [{ key: "note", type: "string", required: false }];

    it("may be absent", () => {
      expect(checkCompatibility("s", {}, contract)).toEqual(ok("s"));
    });

    it("may be null (treated as absent)", () => {
      expect(checkCompatibility("s", { note: null }, contract)).toEqual(ok("s"));
    });

    it("must have the right type when present", () => {
      expect(checkCompatibility("s", { note: 5 }, contract)).toEqual({
        service_id: "s",
        compatible: false,
        missing: [],
        invalid: [{ key: "note", expected: "string", got: "5" }],
        unused: [],
      });
    });
  });

  describe("types", () => {
    const cases: {
      type: FeatureDefinition["type"];
      valid: unknown[];
      invalid: [unknown, string][];
    }[] = [
      {
        type: "string",
        valid: ["a", "", "true", "3"],
        invalid: [
          [3, "3"],
          [true, "true"],
          [["a"], '["a"]'],
          [{ a: 1 }, '{"a":1}'],
        ],
      },
      {
        type: "number",
        valid: [0, -0, 1.5, -2, 2, 1e300, Number.MAX_SAFE_INTEGER + 2],
        invalid: [
          [Number.NaN, "NaN"],
          [Number.POSITIVE_INFINITY, "Infinity"],
          [Number.NEGATIVE_INFINITY, "-Infinity"],
          ["3", '"3"'],
          [false, "false"],
          [[1], "[1]"],
          [{}, "{}"],
        ],
      },
      {
        type: "integer",
        valid: [0, -0, 2, 2.0, -7, 1e21],
        invalid: [
          [1.5, "1.5"],
          [-0.1, "-0.1"],
          [Number.NaN, "NaN"],
          [Number.POSITIVE_INFINITY, "Infinity"],
          ["3", '"3"'],
          [true, "true"],
          [[3], "[3]"],
        ],
      },
      {
        type: "boolean",
        valid: [true, false],
        invalid: [
          ["true", '"true"'],
          ["false", '"false"'],
          [0, "0"],
          [1, "1"],
          [{}, "{}"],
        ],
      },
    ];

    for (const { type, valid, invalid } of cases) {
      const contract: FeatureDefinition[] = [{ key: "f", type, required: true }];
      for (const value of valid) {
        it(`${type} accepts ${String(value)}`, () => {
          expect(checkCompatibility("s", { f: value }, contract)).toEqual(ok("s"));
        });
      }
      for (const [value, got] of invalid) {
        it(`${type} rejects ${got}`, () => {
          expect(checkCompatibility("s", { f: value }, contract)).toEqual({
            service_id: "s",
            compatible: false,
            missing: [],
            invalid: [{ key: "f", expected: type, got }],
            unused: [],
          });
        });
      }
    }
  });

  describe("enum", () => {
    const contract: FeatureDefinition[] = [
      { key: "mode", type: "enum", required: true, allowed_values: ["fast", "slow"] },
    ];
    const rejected = (got: string) => ({
      service_id: "s",
      compatible: false,
      missing: [],
      invalid: [{ key: "mode", expected: "one of: fast, slow", got }],
      unused: [],
    });

    it("accepts each allowed value", () => {
      expect(checkCompatibility("s", { mode: "fast" }, contract)).toEqual(ok("s"));
      expect(checkCompatibility("s", { mode: "slow" }, contract)).toEqual(ok("s"));
    });

    it("rejects a string outside allowed_values", () => {
      expect(checkCompatibility("s", { mode: "medium" }, contract)).toEqual(rejected('"medium"'));
    });

    it("is case-sensitive", () => {
      expect(checkCompatibility("s", { mode: "FAST" }, contract)).toEqual(rejected('"FAST"'));
    });

    it("rejects non-strings", () => {
      expect(checkCompatibility("s", { mode: 1 }, contract)).toEqual(rejected("1"));
      expect(checkCompatibility("s", { mode: true }, contract)).toEqual(rejected("true"));
      expect(checkCompatibility("s", { mode: ["fast"] }, contract)).toEqual(rejected('["fast"]'));
    });

    it("does not match inherited object members", () => {
      expect(checkCompatibility("s", { mode: "constructor" }, contract)).toEqual(
        rejected('"constructor"'),
      );
    });

    it("rejects every value when allowed_values is missing (an invalid contract)", () => {
      const broken: FeatureDefinition[] = [{ key: "mode", type: "enum", required: false }];
      expect(checkCompatibility("s", { mode: "fast" }, broken)).toEqual({
        service_id: "s",
        compatible: false,
        missing: [],
        invalid: [{ key: "mode", expected: "one of: (no allowed values)", got: '"fast"' }],
        unused: [],
      });
    });
  });

  describe("unused keys", () => {
    const contract: FeatureDefinition[] = [{ key: "route", type: "string", required: true }];

    it("reports keys the contract does not define as unused, sorted, without blocking", () => {
      expect(
        checkCompatibility("s", { route: "r", b: 1, a: null, "c.d": { x: 1 } }, contract),
      ).toEqual(ok("s", ["a", "b", "c.d"]));
    });

    it("reports unused keys on an incompatible service too", () => {
      expect(checkCompatibility("s", { other: "x" }, contract)).toEqual({
        service_id: "s",
        compatible: false,
        missing: ["route"],
        invalid: [],
        unused: ["other"],
      });
    });

    it("ignores inherited properties of the features object", () => {
      const features: Record<string, unknown> = Object.create({
        inherited: "x",
        route: "r",
      }) as Record<string, unknown>;
      features.own = 1;
      expect(checkCompatibility("s", features, contract)).toEqual({
        service_id: "s",
        compatible: false,
        missing: ["route"],
        invalid: [],
        unused: ["own"],
      });
    });
  });

  describe("prototype-named keys", () => {
    it("does not read contract keys such as constructor or toString through the prototype", () => {
      const contract: FeatureDefinition[] = [
        { key: "constructor", type: "string", required: true },
        { key: "toString", type: "string", required: false },
      ];
      expect(checkCompatibility("s", {}, contract)).toEqual({
        service_id: "s",
        compatible: false,
        missing: ["constructor"],
        invalid: [],
        unused: [],
      });
    });

    it("handles an own __proto__ key from parsed JSON", () => {
      const features = JSON.parse('{"__proto__": 5, "x": 1}') as Record<string, unknown>;
      const contract: FeatureDefinition[] = [{ key: "__proto__", type: "string", required: true }];
      expect(checkCompatibility("s", features, contract)).toEqual({
        service_id: "s",
        compatible: false,
        missing: [],
        invalid: [{ key: "__proto__", expected: "string", got: "5" }],
        unused: ["x"],
      });
    });
  });

  it("reports several problems in one result, in contract order", () => {
    const contract: FeatureDefinition[] = [
      { key: "route", type: "string", required: true },
      { key: "stops", type: "integer", required: true },
      { key: "speed", type: "number", required: false },
      { key: "mode", type: "enum", required: true, allowed_values: ["a", "b"] },
      { key: "live", type: "boolean", required: true },
      { key: "zone", type: "string", required: true, default: "z1" },
      { key: "label", type: "string", required: false },
    ];
    expect(
      checkCompatibility(
        "svc-001",
        {
          stops: "ten",
          speed: Number.NaN,
          mode: "c",
          live: "true",
          label: null,
          extra: 1,
          another: [],
        },
        contract,
      ),
    ).toEqual({
      service_id: "svc-001",
      compatible: false,
      missing: ["route"],
      invalid: [
        { key: "stops", expected: "integer", got: '"ten"' },
        { key: "speed", expected: "number", got: "NaN" },
        { key: "mode", expected: "one of: a, b", got: '"c"' },
        { key: "live", expected: "boolean", got: '"true"' },
      ],
      unused: ["another", "extra"],
    });
  });

  it("matches the spec example", () => {
    const contract: FeatureDefinition[] = [
      { key: "route", type: "string", required: true },
      { key: "stops", type: "integer", required: true },
    ];
    expect(checkCompatibility("svc-001", { stops: "ten" }, contract)).toEqual({
      service_id: "svc-001",
      compatible: false,
      missing: ["route"],
      invalid: [{ key: "stops", expected: "integer", got: '"ten"' }],
      unused: [],
    });
  });

  it("checks only the first definition of a duplicated key", () => {
    const contract: FeatureDefinition[] = [
      { key: "x", type: "string", required: true },
      { key: "x", type: "integer", required: true },
    ];
    expect(checkCompatibility("s", {}, contract)).toEqual({
      service_id: "s",
      compatible: false,
      missing: ["x"],
      invalid: [],
      unused: [],
    });
    expect(checkCompatibility("s", { x: "a" }, contract)).toEqual(ok("s"));
  });

  it("gives the same answer when the same contract is reused", () => {
    const contract: FeatureDefinition[] = [{ key: "n", type: "integer", required: true }];
    expect(checkCompatibility("a", { n: 1 }, contract)).toEqual(ok("a"));
    expect(checkCompatibility("b", { n: 1.5 }, contract)).toEqual({
      service_id: "b",
      compatible: false,
      missing: [],
      invalid: [{ key: "n", expected: "integer", got: "1.5" }],
      unused: [],
    });
    expect(checkCompatibility("c", { n: 2 }, contract)).toEqual(ok("c"));
  });

  it("does not mutate its inputs", () => {
    const contract: FeatureDefinition[] = [
      { key: "n", type: "integer", required: true, default: 1 },
    ];
    const features = { n: "x", other: true };
    const contractCopy = structuredClone(contract);
    const featuresCopy = structuredClone(features);
    checkCompatibility("s", features, contract);
    expect(contract).toEqual(contractCopy);
    expect(features).toEqual(featuresCopy);
  });
});

describe("isCompatible", () => {
  const contract: FeatureDefinition[] = [
    { key: "route", type: "string", required: true },
    { key: "stops", type: "integer", required: false },
  ];

  it("agrees with checkCompatibility", () => {
    const samples: Record<string, unknown>[] = [
      {},
      { route: "r" },
      { route: null },
      { route: "r", stops: 1.5 },
      { route: "r", stops: 2, extra: "x" },
      { route: "r", stops: null },
    ];
    expect(samples.map((features) => isCompatible(features, contract))).toEqual([
      false,
      true,
      false,
      false,
      true,
      true,
    ]);
    expect(samples.map((features) => isCompatible(features, contract))).toEqual(
      samples.map((features) => checkCompatibility("s", features, contract).compatible),
    );
  });
});

describe("findBlockingServices", () => {
  const contract: FeatureDefinition[] = [
    { key: "route", type: "string", required: true },
    { key: "stops", type: "integer", required: false },
  ];

  it("returns nothing when there are no services", () => {
    expect(findBlockingServices([], contract)).toEqual([]);
  });

  it("returns nothing for an empty contract", () => {
    expect(findBlockingServices([{ service_id: "a", features: { anything: 1 } }], [])).toEqual([]);
  });

  it("returns only incompatible services, in input order, with full results", () => {
    const services = [
      { service_id: "svc-3", features: {} },
      { service_id: "svc-1", features: { route: "r" } },
      { service_id: "svc-2", features: { route: "r", stops: 1.5, extra: true } },
      { service_id: "svc-0", features: { route: null, stops: "2" } },
      { service_id: "svc-4", features: { route: "r", stops: 2, extra: true } },
    ];
    expect(findBlockingServices(services, contract)).toEqual([
      { service_id: "svc-3", compatible: false, missing: ["route"], invalid: [], unused: [] },
      {
        service_id: "svc-2",
        compatible: false,
        missing: [],
        invalid: [{ key: "stops", expected: "integer", got: "1.5" }],
        unused: ["extra"],
      },
      {
        service_id: "svc-0",
        compatible: false,
        missing: ["route"],
        invalid: [{ key: "stops", expected: "integer", got: '"2"' }],
        unused: [],
      },
    ]);
  });

  it("handles 10,000 services quickly", () => {
    const big: FeatureDefinition[] = Array.from({ length: 20 }, (_, i) => ({
      key: `f${i}`,
      type: i % 2 === 0 ? ("integer" as const) : ("enum" as const),
      required: i < 10,
      ...(i % 2 === 1 ? { allowed_values: ["a", "b", "c"] } : {}),
    }));
    const services = Array.from({ length: 10_000 }, (_, n) => {
      const features: Record<string, unknown> = { unrelated: n };
      for (let i = 0; i < 20; i++) features[`f${i}`] = i % 2 === 0 ? n : "b";
      if (n % 1000 === 0) delete features.f0;
      return { service_id: `svc-${n}`, features };
    });
    const started = performance.now();
    const blocking = findBlockingServices(services, big);
    const elapsed = performance.now() - started;
    expect(blocking.map((result) => result.service_id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `svc-${i * 1000}`),
    );
    expect(blocking[0]).toEqual({
      service_id: "svc-0",
      compatible: false,
      missing: ["f0"],
      invalid: [],
      unused: ["unrelated"],
    });
    // Generous bound so a loaded CI machine does not flake; the real cost is a few milliseconds.
    expect(elapsed).toBeLessThan(500);
  });
});
