import { describe, expect, it } from "vitest";
import { expectedTypeLabel, matchesFeatureType } from "./match-feature-type";
import type { FeatureType } from "./types";

describe("matchesFeatureType", () => {
  const samples: unknown[] = [
    "a",
    "",
    "3",
    "true",
    0,
    2,
    2.0,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    false,
    null,
    [],
    {},
  ];
  const labels = [
    '"a"',
    '""',
    '"3"',
    '"true"',
    "0",
    "2",
    "2.0",
    "1.5",
    "NaN",
    "Infinity",
    "true",
    "false",
    "null",
    "[]",
    "{}",
  ];
  const expected: Record<Exclude<FeatureType, "enum">, boolean[]> = {
    string: [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ],
    number: [
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ],
    integer: [
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ],
    boolean: [
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      false,
      false,
      false,
    ],
  };
  for (const [type, results] of Object.entries(expected) as [
    Exclude<FeatureType, "enum">,
    boolean[],
  ][]) {
    it(`classifies every sample for ${type}`, () => {
      expect(
        Object.fromEntries(
          samples.map((value, i) => [labels[i], matchesFeatureType(value, type, null)]),
        ),
      ).toEqual(Object.fromEntries(labels.map((label, i) => [label, results[i]])));
    });
  }

  it("accepts only allowed strings for enum", () => {
    const allowed = new Set(["a", "3"]);
    expect(samples.map((value) => matchesFeatureType(value, "enum", allowed))).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(matchesFeatureType("a", "enum", null)).toBe(false);
  });

  it("rejects everything for an unknown type", () => {
    expect(matchesFeatureType("a", "date" as FeatureType, null)).toBe(false);
  });
});

describe("expectedTypeLabel", () => {
  it("names scalar types and lists enum values", () => {
    expect([
      expectedTypeLabel("string", undefined),
      expectedTypeLabel("number", undefined),
      expectedTypeLabel("integer", ["ignored"]),
      expectedTypeLabel("boolean", undefined),
      expectedTypeLabel("enum", ["a", "b"]),
      expectedTypeLabel("enum", []),
      expectedTypeLabel("enum", undefined),
    ]).toEqual([
      "string",
      "number",
      "integer",
      "boolean",
      "one of: a, b",
      "one of: (no allowed values)",
      "one of: (no allowed values)",
    ]);
  });
});
