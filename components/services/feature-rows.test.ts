import { describe, expect, it } from "vitest";
import type { FeatureDefinition } from "@/lib/features/types";
import { buildFeatureRows, planFeaturePatch, type FeatureRow } from "./feature-rows";

const contract: FeatureDefinition[] = [
  { key: "route", type: "string", required: true },
  { key: "stops", type: "integer", required: false, default: 10 },
  { key: "night_service", type: "boolean", required: false },
];

const edit = (rows: FeatureRow[], key: string, change: Partial<FeatureRow>) =>
  rows.map((r) => (r.key === key ? { ...r, ...change } : r));

describe("buildFeatureRows", () => {
  it("lists the contract first, then the service's other keys, with inputs by type", () => {
    const rows = buildFeatureRows(
      { zone: "z1", stops: 12, route: "r", extra: true, gone: null },
      contract,
    );
    expect(rows.map((r) => [r.key, r.origin, r.type, r.value])).toEqual([
      ["route", "contract", "string", "r"],
      ["stops", "contract", "integer", "12"],
      ["night_service", "contract", "boolean", false],
      ["extra", "current", "boolean", true],
      ["zone", "current", "string", "z1"],
    ]);
  });

  it("without a contract, follows each value's JSON type", () => {
    expect(
      buildFeatureRows({ a: 1.5, b: "x", c: false }, null).map((r) => [r.key, r.type, r.value]),
    ).toEqual([
      ["a", "number", "1.5"],
      ["b", "string", "x"],
      ["c", "boolean", false],
    ]);
  });
});

describe("planFeaturePatch", () => {
  it("sends only what changed, typed", () => {
    const features = { route: "r", stops: 12 };
    const initial = buildFeatureRows(features, null);
    const rows = edit(initial, "stops", { value: "14" });
    expect(planFeaturePatch(rows, initial, features, null)).toEqual({
      patch: { stops: 14 },
      errors: new Map(),
    });
  });

  it("sends nothing when nothing changed", () => {
    const features = { route: "r", stops: 12 };
    const initial = buildFeatureRows(features, null);
    expect(planFeaturePatch(initial, initial, features, null).patch).toEqual({});
  });

  it("removes keys with null, by Remove or by emptying an optional field", () => {
    const features = { route: "r", zone: "z" };
    const initial = buildFeatureRows(features, null);
    const rows = edit(edit(initial, "route", { removed: true }), "zone", { value: "" });
    expect(planFeaturePatch(rows, initial, features, null).patch).toEqual({
      route: null,
      zone: null,
    });
  });

  it("adds new keys with their chosen type and refuses duplicates or values without a key", () => {
    const features = { route: "r" };
    const initial = buildFeatureRows(features, null);
    const added: FeatureRow[] = [
      ...initial,
      { key: " stops ", type: "integer", origin: "new", removed: false, value: "7" },
      { key: "", type: "string", origin: "new", removed: false, value: "" },
    ];
    expect(planFeaturePatch(added, initial, features, null)).toEqual({
      patch: { stops: 7 },
      errors: new Map(),
    });
    const wrong: FeatureRow[] = [
      ...initial,
      { key: "route", type: "string", origin: "new", removed: false, value: "x" },
      { key: "", type: "string", origin: "new", removed: false, value: "orphan" },
      { key: "n", type: "integer", origin: "new", removed: false, value: "1.5" },
    ];
    const { errors } = planFeaturePatch(wrong, initial, features, null);
    expect(errors.get(1)?.key).toMatch(/already listed/);
    expect(errors.get(2)?.key).toMatch(/key/);
    expect(errors.get(3)?.value).toMatch(/whole number/);
  });

  it("validates contract rows with the contract's rules", () => {
    const features = { stops: 12 };
    const initial = buildFeatureRows(features, contract);
    const { errors } = planFeaturePatch(
      edit(initial, "stops", { value: "1.5" }),
      initial,
      features,
      contract,
    );
    expect(errors.get(0)?.value).toBe("route is required by this version");
    expect(errors.get(1)?.value).toBe("stops must be a whole number");
  });

  it("replaces a current value that breaks the contract even if the input was not touched", () => {
    const features = { route: "r", night_service: "yes" };
    const initial = buildFeatureRows(features, contract);
    expect(planFeaturePatch(initial, initial, features, contract)).toEqual({
      patch: { night_service: false },
      errors: new Map(),
    });
  });

  it("does not send an untouched empty contract field the service never had", () => {
    const features = { route: "r" };
    const initial = buildFeatureRows(features, contract);
    expect(
      planFeaturePatch(edit(initial, "route", { value: "r2" }), initial, features, contract).patch,
    ).toEqual({ route: "r2" });
  });
});
