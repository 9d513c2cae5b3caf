import { describe, expect, it } from "vitest";
import type { FeatureDefinition } from "@/lib/features/types";
import {
  buildFeatureRows,
  mergeContracts,
  planFeaturePatch,
  valueForType,
  type FeatureRow,
} from "./feature-rows";

const contract: FeatureDefinition[] = [
  { key: "route", type: "string", required: true },
  { key: "stops", type: "integer", required: false, default: 10 },
  { key: "night_service", type: "boolean", required: false },
];
const one = mergeContracts([{ label: "bus@1", features: contract }]);
const none = mergeContracts([]);

const edit = (rows: FeatureRow[], key: string, change: Partial<FeatureRow>) =>
  rows.map((r) => (r.key === key ? { ...r, touched: true, ...change } : r));
const newRow = (key: string, type: FeatureRow["type"], value: FeatureRow["value"]): FeatureRow => ({
  key,
  type,
  value,
  origin: "new",
  removed: false,
  touched: true,
});

describe("mergeContracts", () => {
  it("puts the target first and notes where contracts disagree on a type", () => {
    const merged = mergeContracts([
      { label: "bus@1", features: contract },
      {
        label: "bus@2",
        target: true,
        features: [
          { key: "stops", type: "string", required: false },
          { key: "mode", type: "enum", required: true, allowed_values: ["bus", "tram"] },
        ],
      },
    ]);
    expect([...merged.keys()]).toEqual(["stops", "mode", "route", "night_service"]);
    expect(merged.get("stops")?.definition.type).toBe("string");
    expect(merged.get("stops")?.sources).toEqual(["bus@2", "bus@1"]);
    expect(merged.get("stops")?.conflict).toBe(
      "Contracts disagree: bus@2 wants string; bus@1 wants integer. This input follows bus@2.",
    );
    expect(merged.get("mode")?.conflict).toBeNull();
    expect(merged.get("mode")?.requiredBy).toEqual(["bus@2"]);
  });

  it("makes a feature required when any contract needs it", () => {
    const merged = mergeContracts([
      { label: "a@1", features: [{ key: "zone", type: "string", required: false, default: "z" }] },
      { label: "b@1", features: [{ key: "zone", type: "string", required: true }] },
    ]);
    expect(merged.get("zone")).toMatchObject({
      definition: { required: true, default: undefined },
      requiredBy: ["b@1"],
      conflict: null,
    });
  });
});

describe("buildFeatureRows", () => {
  it("lists the contracts first, then the service's other keys, with inputs by type", () => {
    const rows = buildFeatureRows(
      { zone: "z1", stops: 12, route: "r", extra: true, ratio: 0.5, gone: null },
      one,
    );
    expect(rows.map((r) => [r.key, r.origin, r.type, r.value])).toEqual([
      ["route", "contract", "string", "r"],
      ["stops", "contract", "integer", "12"],
      ["night_service", "contract", "boolean", ""],
      ["extra", "current", "boolean", true],
      ["ratio", "current", "number", "0.5"],
      ["zone", "current", "string", "z1"],
    ]);
  });
});

describe("planFeaturePatch", () => {
  it("sends only what changed, typed", () => {
    const features = { route: "r", stops: 12 };
    const rows = edit(buildFeatureRows(features, none), "stops", { value: "14" });
    expect(planFeaturePatch(rows, features, none)).toEqual({
      patch: { stops: 14 },
      errors: new Map(),
    });
  });

  it("sends nothing when nothing changed, even if an input was touched", () => {
    const features = { route: "r", stops: 12 };
    const rows = edit(buildFeatureRows(features, one), "stops", { value: " 12 " });
    expect(planFeaturePatch(rows, features, one).patch).toEqual({});
  });

  it.each(["ten", "5-", "--5", "2.5", "1,5"])(
    "never sends or removes an integer typed as %j: it is an error",
    (typed) => {
      const features = { route: "r", stops: 12 };
      const rows = edit(buildFeatureRows(features, one), "stops", { value: typed });
      const { patch, errors } = planFeaturePatch(rows, features, one);
      expect(patch).toEqual({});
      expect(errors.get(1)?.value).toMatch(/^stops must be a whole number/);
    },
  );

  it("removes a key only with Remove; an emptied field is an error", () => {
    const features = { route: "r", zone: "z" };
    const rows = buildFeatureRows(features, none);
    expect(planFeaturePatch(edit(rows, "route", { removed: true }), features, none)).toEqual({
      patch: { route: null },
      errors: new Map(),
    });
    const emptied = planFeaturePatch(edit(rows, "zone", { value: "  " }), features, none);
    expect(emptied.patch).toEqual({});
    expect(emptied.errors.get(1)?.value).toBe("Enter a value for zone, or use Remove to delete it");
  });

  it("an emptied required field names the contract that needs it", () => {
    const features = { route: "r" };
    const { errors, patch } = planFeaturePatch(
      edit(buildFeatureRows(features, one), "route", { value: "" }),
      features,
      one,
    );
    expect(patch).toEqual({});
    expect(errors.get(0)?.value).toBe("route is required by bus@1");
  });

  it("retypes a free-form key when the person chooses another type", () => {
    const features = { code: "12", flag: "yes" };
    const rows = buildFeatureRows(features, none);
    const retyped = edit(edit(rows, "code", { type: "integer" }), "flag", {
      type: "boolean",
      value: valueForType("boolean", "yes"),
    });
    expect(planFeaturePatch(retyped, features, none).patch).toEqual({ code: 12, flag: false });
  });

  it("adds new keys with their chosen type and refuses duplicates, values without a key, bad values", () => {
    const features = { route: "r" };
    const initial = buildFeatureRows(features, none);
    const added: FeatureRow[] = [
      ...initial,
      newRow(" stops ", "integer", "7"),
      newRow("night", "boolean", false),
      { ...newRow("", "string", ""), touched: false },
    ];
    expect(planFeaturePatch(added, features, none)).toEqual({
      patch: { stops: 7, night: false },
      errors: new Map(),
    });
    const wrong: FeatureRow[] = [
      ...initial,
      newRow("route", "string", "x"),
      newRow("", "string", "orphan"),
      newRow("n", "integer", "1.5"),
      newRow("m", "integer", "ten"),
      newRow("e", "string", ""),
    ];
    const { errors, patch } = planFeaturePatch(wrong, features, none);
    expect(patch).toEqual({});
    expect(errors.get(1)?.key).toMatch(/already listed/);
    expect(errors.get(2)?.key).toBe("Give the new feature a key");
    expect(errors.get(3)?.value).toMatch(/whole number/);
    expect(errors.get(4)?.value).toMatch(/“ten” is not one/);
    expect(errors.get(5)?.value).toBe("Enter text for e, or discard the new feature");
  });

  it("replaces a current value that breaks a contract even if the input was not touched", () => {
    const features = { route: "r", night_service: "yes" };
    const rows = buildFeatureRows(features, one);
    expect(planFeaturePatch(rows, features, one)).toEqual({
      patch: { night_service: false },
      errors: new Map(),
    });
  });

  it("does not send an untouched contract field the service never had", () => {
    const features = { route: "r" };
    const rows = edit(buildFeatureRows(features, one), "route", { value: "r2" });
    expect(planFeaturePatch(rows, features, one).patch).toEqual({ route: "r2" });
  });

  it("chooses an enum value from the contract's list only", () => {
    const merged = mergeContracts([
      {
        label: "bus@2",
        features: [{ key: "mode", type: "enum", required: false, allowed_values: ["bus", "tram"] }],
      },
    ]);
    const features = { mode: "bus" };
    const rows = buildFeatureRows(features, merged);
    expect(planFeaturePatch(edit(rows, "mode", { value: "tram" }), features, merged).patch).toEqual(
      { mode: "tram" },
    );
    expect(
      planFeaturePatch(edit(rows, "mode", { value: "boat" }), features, merged).errors.get(0),
    ).toEqual({ value: "mode must be one of: bus, tram" });
  });
});
