import { describe, expect, it } from "vitest";
import { planImport, serviceContracts } from "./services-csv";
import type { FeatureDefinition } from "./types";

const v1: FeatureDefinition[] = [
  { key: "stops", type: "integer", required: false },
  { key: "mode", type: "enum", required: false, allowed_values: ["bus", "tram"] },
];
const v2: FeatureDefinition[] = [
  { key: "route", type: "string", required: true },
  { key: "mode", type: "enum", required: true, allowed_values: ["bus"] },
];

describe("serviceContracts", () => {
  const contracts = serviceContracts(
    new Map([
      ["a", [{ model_id: "m", model_version: "1" }]],
      [
        "b",
        [
          { model_id: "m", model_version: "1" },
          { model_id: "m", model_version: "2" },
        ],
      ],
    ]),
    new Map([
      ["m@1", v1],
      ["m@2", v2],
    ]),
  );

  it("knows every feature of the domain's versions, and each service's own", () => {
    expect([...contracts.known].sort()).toEqual(["mode", "route", "stops"]);
    expect(contracts.of("a").label).toBe("m@1");
    expect([...contracts.of("a").definitions.keys()]).toEqual(["stops", "mode"]);
    // A feature two of a service's versions define has both definitions: a value must fit both.
    expect(contracts.of("b").label).toBe("m@1, m@2");
    expect(contracts.of("b").definitions.get("mode")).toHaveLength(2);
    expect(contracts.of("c")).toEqual({
      label: "any version: the service runs none",
      definitions: new Map(),
    });
  });
});

describe("planImport", () => {
  it("keeps only the values that change, counted per feature", () => {
    const plan = planImport(
      [
        { service_id: "a", static_features: { stops: 3, mode: "bus" } },
        { service_id: "b", static_features: { stops: 4 } },
        { service_id: "c", static_features: { mode: "tram" } },
      ],
      new Map([
        ["a", { mode: "bus" }],
        ["b", { stops: 2 }],
        ["c", { mode: "tram" }],
      ]),
    );
    expect(plan.items).toEqual([
      { service_id: "a", provided_features: { stops: 3 } },
      { service_id: "b", provided_features: { stops: 4 } },
    ]);
    expect(plan.changes).toEqual([
      { service_id: "a", feature: "stops", from: undefined, to: 3 },
      { service_id: "b", feature: "stops", from: 2, to: 4 },
    ]);
    expect(plan.byFeature).toEqual([{ feature: "stops", services: 2 }]);
    expect(plan.unchanged).toBe(2);
  });
});
