import { describe, expect, it } from "vitest";
import { jsonEqual } from "./json-equal";

describe("jsonEqual", () => {
  it("compares primitives strictly", () => {
    const pairs: [unknown, unknown, boolean][] = [
      ["a", "a", true],
      ["a", "b", false],
      [1, 1, true],
      [1, 1.0, true],
      [0, -0, true],
      [1, "1", false],
      [0, false, false],
      ["", false, false],
      [null, null, true],
      [null, undefined, false],
      [null, {}, false],
      [true, true, true],
      [true, false, false],
    ];
    expect(pairs.map(([a, b]) => jsonEqual(a, b))).toEqual(pairs.map(([, , equal]) => equal));
  });

  it("compares arrays element by element, in order", () => {
    expect([
      jsonEqual([], []),
      jsonEqual([1, [2, { a: 3 }]], [1, [2, { a: 3 }]]),
      jsonEqual([1, 2], [2, 1]),
      jsonEqual([1, 2], [1, 2, 3]),
      jsonEqual([1], { 0: 1 }),
      jsonEqual([], {}),
    ]).toEqual([true, true, false, false, false, false]);
  });

  it("compares objects by own keys, ignoring key order", () => {
    expect([
      jsonEqual({}, {}),
      jsonEqual({ a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 }),
      jsonEqual({ a: 1 }, { a: 2 }),
      jsonEqual({ a: 1 }, { a: 1, b: 2 }),
      jsonEqual({ a: 1, b: 2 }, { a: 1 }),
      jsonEqual({ a: 1, b: 2 }, { a: 1, c: 2 }),
      jsonEqual({ a: undefined }, { b: undefined }),
      jsonEqual({ a: null }, {}),
      jsonEqual({}, []),
      jsonEqual({ toString: 1 }, { valueOf: 1 }),
    ]).toEqual([true, true, false, false, false, false, false, false, false, false]);
  });
});
