import { describe, expect, it } from "vitest";
import {
  blockersCsv,
  parseCsvText,
  validateImport,
  type ImportContext,
  type ServiceContracts,
} from "./blockers-csv";
import type { FeatureDefinition } from "./types";

const contract: FeatureDefinition[] = [
  { key: "route", type: "string", required: true },
  { key: "stops", type: "integer", required: false, default: 10 },
  { key: "night_service", type: "boolean", required: false },
  { key: "mode", type: "enum", required: true, allowed_values: ["bus", "tram"] },
];
const context: ImportContext = {
  target: "example-model@2.0.0",
  contract,
  services: new Map([
    ["svc-001", "active"],
    ["svc-002", "active"],
    ["svc-003", "active"],
    ["svc-009", "departed"],
  ]),
};
const importText = (text: string) => validateImport(parseCsvText(text), context);

describe("CSV import of service_id,feature,value", () => {
  it("reads quoted fields (commas, quotes, newlines), a BOM and CRLF line ends", () => {
    const text =
      "\ufeffservice_id,feature,value\r\n" +
      'svc-001,route,"Main St, North"\r\n' +
      'svc-002,route,"the ""express"" line"\r\n' +
      'svc-003,route,"two\r\nlines"\r\n' +
      "svc-003,night_service,TRUE\r\n" +
      "svc-001,stops, 12 \r\n";
    expect(importText(text)).toEqual({
      rows: 5,
      problems: [],
      updates: [
        { service_id: "svc-001", static_features: { route: "Main St, North", stops: 12 } },
        { service_id: "svc-002", static_features: { route: 'the "express" line' } },
        { service_id: "svc-003", static_features: { route: "two\r\nlines", night_service: true } },
      ],
    });
  });

  it("names every bad row by line, service, feature and why, and sends nothing", () => {
    const text = [
      "service_id,feature,value",
      "svc-001,route,r1", // line 2: fine
      "svc-404,route,r2", // 3: unknown service
      "svc-009,route,r3", // 4: departed
      "svc-002,stops,twelve", // 5: wrong type
      "svc-002,night_service,maybe", // 6: wrong type
      "svc-002,mode,ship", // 7: not allowed
      "svc-003,route,", // 8: empty
      "svc-003,colour,red", // 9: not in the contract
      ",route,r4", // 10: no service
      "svc-001,route,r1", // 11: duplicate, same value: fine
      "svc-001,route,r9", // 12: duplicate, other value
    ].join("\n");
    const result = importText(text);
    expect(result.updates).toEqual([]);
    expect(result.problems).toEqual([
      {
        line: 3,
        service_id: "svc-404",
        feature: "route",
        message: 'service "svc-404" is not in this domain',
      },
      {
        line: 4,
        service_id: "svc-009",
        feature: "route",
        message: 'service "svc-009" has departed and can\'t be changed',
      },
      {
        line: 5,
        service_id: "svc-002",
        feature: "stops",
        message: expect.stringMatching(/^"twelve": stops must be a whole number/),
      },
      {
        line: 6,
        service_id: "svc-002",
        feature: "night_service",
        message: '"maybe": night_service must be true or false',
      },
      {
        line: 7,
        service_id: "svc-002",
        feature: "mode",
        message: '"ship": mode must be one of: bus, tram',
      },
      {
        line: 8,
        service_id: "svc-003",
        feature: "route",
        message: "empty value: fill in route (string) or remove the row",
      },
      {
        line: 9,
        service_id: "svc-003",
        feature: "colour",
        message: '"colour" is not a feature of example-model@2.0.0',
      },
      { line: 10, service_id: null, feature: "route", message: "no service_id" },
      {
        line: 12,
        service_id: "svc-001",
        feature: "route",
        message: 'line 2 already sets route of "svc-001" to "r1"; keep one of the two rows',
      },
    ]);
  });

  it("counts lines across quoted newlines, and skips blank lines", () => {
    // Line 1 the header, 2 blank, 3–4 svc-001's two-line route, 5 blank, 6 svc-404.
    const text = 'service_id,feature,value\n\nsvc-001,route,"a\nb"\n\nsvc-404,route,x\n';
    expect(importText(text).problems).toEqual([
      {
        line: 6,
        service_id: "svc-404",
        feature: "route",
        message: 'service "svc-404" is not in this domain',
      },
    ]);
  });

  it("refuses a file without a service_id column", () => {
    expect(importText("id,feature,value\nsvc-001,route,r\n").problems).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringMatching(/no service_id column/) }),
    ]);
  });

  it("takes the export back once its value column is filled", () => {
    const exported = blockersCsv(
      [
        {
          service_id: "svc-001",
          name: "Line, one",
          feature: "route",
          problem: "missing",
          current_value: "",
        },
        {
          service_id: "svc-002",
          name: null,
          feature: "night_service",
          problem: "invalid",
          current_value: '"yes"',
        },
      ],
      contract,
    );
    expect(exported.split("\r\n")).toEqual([
      "service_id,name,feature,expected,problem,current_value,value",
      'svc-001,"Line, one",route,string,missing,,',
      'svc-002,,night_service,boolean,invalid,"""yes""",',
    ]);
    const filled = exported.replace(/,$/m, ",route-1").replace(/,(\r\n)?$/, ",false");
    expect(importText(filled)).toEqual({
      rows: 2,
      problems: [],
      updates: [
        { service_id: "svc-001", static_features: { route: "route-1" } },
        { service_id: "svc-002", static_features: { night_service: false } },
      ],
    });
  });
});

describe("CSV import with one column per feature", () => {
  it("reads each feature column; an empty cell leaves that feature as it is", () => {
    const text = "service_id,name,route,night_service\nsvc-001,One,r1,\nsvc-002,Two,,false\n";
    expect(importText(text)).toEqual({
      rows: 2,
      problems: [],
      updates: [
        { service_id: "svc-001", static_features: { route: "r1" } },
        { service_id: "svc-002", static_features: { night_service: false } },
      ],
    });
  });

  it("refuses a column that is not a feature of the version", () => {
    expect(importText("service_id,route,colour\nsvc-001,r,red\n").problems).toEqual([
      {
        line: 1,
        service_id: null,
        feature: "colour",
        message: 'column "colour" is not a feature of example-model@2.0.0; remove it or rename it',
      },
    ]);
  });

  it("validates 10,000 rows quickly", () => {
    const services = new Map(
      Array.from({ length: 10_000 }, (_, i) => [`s-${i}`, "active" as const]),
    );
    const text =
      "service_id,feature,value\r\n" +
      Array.from({ length: 10_000 }, (_, i) => `s-${i},route,"route ${i}, north"`).join("\r\n");
    const t0 = performance.now();
    const result = validateImport(parseCsvText(text), { ...context, services });
    const ms = performance.now() - t0;
    expect(result.problems).toEqual([]);
    expect(result.updates).toHaveLength(10_000);
    expect(ms).toBeLessThan(2_000);
  });
});

describe("CSV import against each service's own contracts (the services page)", () => {
  const v1: FeatureDefinition[] = [
    { key: "stops", type: "integer", required: false, default: 10 },
    { key: "mode", type: "enum", required: false, allowed_values: ["bus", "tram", "train"] },
  ];
  const eta: FeatureDefinition[] = [
    { key: "average_speed_kmh", type: "number", required: true, default: 30 },
    { key: "mode", type: "enum", required: false, allowed_values: ["bus", "tram"] },
  ];
  // svc-001 runs v1 and eta; svc-002 runs v1 only; svc-003 runs nothing.
  const runs: Record<string, [string, FeatureDefinition[]][]> = {
    "svc-001": [
      ["example-model@1.0.0", v1],
      ["eta-model@1.0.0", eta],
    ],
    "svc-002": [["example-model@1.0.0", v1]],
  };
  const contracts: ServiceContracts = {
    known: new Set(["stops", "mode", "average_speed_kmh"]),
    knownLabel: "the versions assigned in this domain",
    of: (serviceId) => {
      const versions = runs[serviceId] ?? [];
      const definitions = new Map<string, FeatureDefinition[]>();
      for (const [, c] of versions)
        for (const d of c) definitions.set(d.key, [...(definitions.get(d.key) ?? []), d]);
      return {
        label: versions.map(([l]) => l).join(", ") || "any version (it runs none)",
        definitions,
      };
    },
  };
  const perService: ImportContext = { services: context.services, contracts };
  const run = (text: string) => validateImport(parseCsvText(text), perService);

  it("checks each value against the versions that service runs, in either layout", () => {
    expect(
      run("service_id,feature,value\nsvc-001,average_speed_kmh,42.5\nsvc-002,stops,7\n"),
    ).toEqual({
      rows: 2,
      problems: [],
      updates: [
        { service_id: "svc-001", static_features: { average_speed_kmh: 42.5 } },
        { service_id: "svc-002", static_features: { stops: 7 } },
      ],
    });
    // Wide: an empty cell leaves the feature, also where the service's versions don't have it.
    expect(run("service_id,stops,average_speed_kmh\nsvc-001,3,40\nsvc-002,4,\n").updates).toEqual([
      { service_id: "svc-001", static_features: { stops: 3, average_speed_kmh: 40 } },
      { service_id: "svc-002", static_features: { stops: 4 } },
    ]);
  });

  it("names a feature the service's versions don't have, a value one of them refuses, and unknown services", () => {
    const result = run(
      "service_id,feature,value\n" +
        "svc-002,average_speed_kmh,40\n" +
        "svc-001,mode,train\n" +
        "svc-003,stops,2\n" +
        "svc-404,stops,2\n" +
        "svc-001,stops,\n",
    );
    expect(result.updates).toEqual([]);
    expect(result.problems).toEqual([
      {
        line: 2,
        service_id: "svc-002",
        feature: "average_speed_kmh",
        message: '"average_speed_kmh" is not a feature of example-model@1.0.0',
      },
      {
        line: 3,
        service_id: "svc-001",
        feature: "mode",
        message: expect.stringMatching(/^"train": .*mode/),
      },
      {
        line: 4,
        service_id: "svc-003",
        feature: "stops",
        message: '"stops" is not a feature of any version (it runs none)',
      },
      {
        line: 5,
        service_id: "svc-404",
        feature: "stops",
        message: 'service "svc-404" is not in this domain',
      },
      {
        line: 6,
        service_id: "svc-001",
        feature: "stops",
        message: "empty value: fill in stops (integer) or remove the row",
      },
    ]);
  });

  it("refuses a wide column no version of the domain has", () => {
    expect(run("service_id,stops,colour\nsvc-001,3,red\n").problems).toEqual([
      {
        line: 1,
        service_id: null,
        feature: "colour",
        message:
          'column "colour" is not a feature of the versions assigned in this domain; remove it or rename it',
      },
    ]);
  });
});
