import { describe, expect, it } from "vitest";
import { describeValue } from "./describe-value";

describe("describeValue", () => {
  it("renders JSON values as JSON", () => {
    expect(
      ["ten", "", 3, 1.5, -0, true, false, null, [1, "a"], { a: { b: null } }].map((value) =>
        describeValue(value),
      ),
    ).toEqual([
      '"ten"',
      '""',
      "3",
      "1.5",
      "0",
      "true",
      "false",
      "null",
      '[1,"a"]',
      '{"a":{"b":null}}',
    ]);
  });

  it("escapes quotes and control characters", () => {
    expect(describeValue('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
  });

  it("names non-finite numbers instead of printing null", () => {
    expect(
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map((value) =>
        describeValue(value),
      ),
    ).toEqual(["NaN", "Infinity", "-Infinity"]);
  });

  it("never throws on values JSON cannot represent", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(
      [undefined, BigInt(10), Symbol("s"), circular].map((value) => describeValue(value)),
    ).toEqual(["undefined", "10n", "Symbol(s)", "[object Object]"]);
  });
});
