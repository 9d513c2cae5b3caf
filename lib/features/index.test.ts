import { describe, expect, it } from "vitest";
import * as features from "./index";

describe("lib/features index", () => {
  it("re-exports the public API", () => {
    expect(Object.keys(features).sort()).toEqual([
      "FEATURE_TYPES",
      "checkCompatibility",
      "describeValue",
      "diffContracts",
      "expectedTypeLabel",
      "findBlockingServices",
      "isCompatible",
      "jsonEqual",
      "matchesFeatureType",
      "mergeFeatures",
      "validateFeatureDefinitions",
    ]);
    expect(features.FEATURE_TYPES).toEqual(["string", "number", "integer", "boolean", "enum"]);
  });
});
