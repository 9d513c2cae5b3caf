import { describe, expect, it } from "vitest";
import * as checkCompatibility from "./check-compatibility";
import * as contractDiff from "./contract-diff";
import * as describeValue from "./describe-value";
import * as jsonEqual from "./json-equal";
import * as matchFeatureType from "./match-feature-type";
import * as mergeFeatures from "./merge-features";
import * as types from "./types";
import * as validateFeatureDefinitions from "./validate-feature-definitions";

describe("lib/features", () => {
  it("lists every feature type at run time", () => {
    expect(types.FEATURE_TYPES).toEqual(["string", "number", "integer", "boolean", "enum"]);
  });

  // Once asserted on the index barrel (removed: nothing imported it); each name now comes from its own module.
  it("offers the domain's public API from its modules", () => {
    const modules = [
      types,
      checkCompatibility,
      validateFeatureDefinitions,
      contractDiff,
      mergeFeatures,
      describeValue,
      matchFeatureType,
      jsonEqual,
    ];
    expect(modules.flatMap((m) => Object.keys(m))).toEqual(
      expect.arrayContaining([
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
      ]),
    );
  });
});
