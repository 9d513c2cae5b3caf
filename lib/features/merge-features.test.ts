import { describe, expect, it } from "vitest";
import { mergeFeatures } from "./merge-features";

describe("mergeFeatures", () => {
  it("returns a copy and no change for an empty patch", () => {
    const current = { route: "r", stops: 2 };
    const result = mergeFeatures(current, {});
    expect(result).toEqual({ features: { route: "r", stops: 2 }, changed: false });
    expect(result.features).not.toBe(current);
  });

  it("merges two empty objects", () => {
    expect(mergeFeatures({}, {})).toEqual({ features: {}, changed: false });
  });

  it("adds a new key", () => {
    expect(mergeFeatures({ route: "r" }, { stops: 3 })).toEqual({
      features: { route: "r", stops: 3 },
      changed: true,
    });
  });

  it("replaces an existing value", () => {
    expect(mergeFeatures({ route: "r", stops: 2 }, { route: "s" })).toEqual({
      features: { route: "s", stops: 2 },
      changed: true,
    });
  });

  it("replaces a value with one of a different type", () => {
    expect(mergeFeatures({ stops: "ten" }, { stops: 10 })).toEqual({
      features: { stops: 10 },
      changed: true,
    });
  });

  it("removes a key whose patch value is null", () => {
    expect(mergeFeatures({ route: "r", stops: 2 }, { route: null })).toEqual({
      features: { stops: 2 },
      changed: true,
    });
  });

  it("removes a key whose current value is null when the patch says null", () => {
    expect(mergeFeatures({ route: null, stops: 2 }, { route: null })).toEqual({
      features: { stops: 2 },
      changed: true,
    });
  });

  it("is not a change to remove a key that is absent", () => {
    expect(mergeFeatures({ stops: 2 }, { route: null })).toEqual({
      features: { stops: 2 },
      changed: false,
    });
  });

  it("is not a change to set the same primitive values", () => {
    expect(
      mergeFeatures(
        { a: "x", b: 1, c: true, d: false, e: 0 },
        { a: "x", b: 1, c: true, d: false, e: 0 },
      ),
    ).toEqual({
      features: { a: "x", b: 1, c: true, d: false, e: 0 },
      changed: false,
    });
  });

  it("is not a change to set a deep-equal object or array, regardless of key order", () => {
    const current = { cfg: { a: 1, b: [1, { c: "x" }] }, list: [1, 2, 3] };
    const patch = { cfg: { b: [1, { c: "x" }], a: 1 }, list: [1, 2, 3] };
    expect(mergeFeatures(current, patch)).toEqual({ features: current, changed: false });
  });

  it("detects differences inside nested values", () => {
    expect(mergeFeatures({ list: [1, 2, 3] }, { list: [1, 2] })).toEqual({
      features: { list: [1, 2] },
      changed: true,
    });
    expect(mergeFeatures({ list: [1, 2] }, { list: [2, 1] })).toEqual({
      features: { list: [2, 1] },
      changed: true,
    });
    expect(mergeFeatures({ cfg: { a: 1 } }, { cfg: { a: 2 } })).toEqual({
      features: { cfg: { a: 2 } },
      changed: true,
    });
    expect(mergeFeatures({ cfg: { a: 1 } }, { cfg: { a: 1, b: 2 } })).toEqual({
      features: { cfg: { a: 1, b: 2 } },
      changed: true,
    });
    expect(mergeFeatures({ cfg: { a: 1, b: 2 } }, { cfg: { a: 1, c: 2 } })).toEqual({
      features: { cfg: { a: 1, c: 2 } },
      changed: true,
    });
  });

  it("does not confuse arrays with objects or strings with numbers", () => {
    expect(mergeFeatures({ v: [] }, { v: {} })).toEqual({ features: { v: {} }, changed: true });
    expect(mergeFeatures({ v: { 0: 1 } }, { v: [1] })).toEqual({
      features: { v: [1] },
      changed: true,
    });
    expect(mergeFeatures({ v: "1" }, { v: 1 })).toEqual({ features: { v: 1 }, changed: true });
    expect(mergeFeatures({ v: 0 }, { v: false })).toEqual({
      features: { v: false },
      changed: true,
    });
  });

  it("replaces nested objects whole instead of merging them (top level only)", () => {
    expect(mergeFeatures({ cfg: { a: 1, b: 2 } }, { cfg: { b: null, c: 3 } })).toEqual({
      features: { cfg: { b: null, c: 3 } },
      changed: true,
    });
  });

  it("ignores undefined patch values", () => {
    expect(mergeFeatures({ route: "r" }, { route: undefined, other: undefined })).toEqual({
      features: { route: "r" },
      changed: false,
    });
  });

  it("applies several operations at once and reports a change if any one changes", () => {
    expect(
      mergeFeatures(
        { route: "r", stops: 2, mode: "fast", keep: true },
        { route: null, stops: 2, mode: "slow", gone: null, fresh: 1.5 },
      ),
    ).toEqual({ features: { stops: 2, mode: "slow", keep: true, fresh: 1.5 }, changed: true });
  });

  it("does not mutate its inputs", () => {
    const current = { route: "r", stops: 2 };
    const patch = { route: null, mode: "x" };
    mergeFeatures(current, patch);
    expect(current).toEqual({ route: "r", stops: 2 });
    expect(patch).toEqual({ route: null, mode: "x" });
  });

  it("is idempotent: applying the same patch twice changes nothing the second time", () => {
    const patch = { route: "r2", stops: null, cfg: { a: [1] } };
    const first = mergeFeatures({ route: "r", stops: 1 }, patch);
    const second = mergeFeatures(first.features, patch);
    expect(first).toEqual({ features: { route: "r2", cfg: { a: [1] } }, changed: true });
    expect(second).toEqual({ features: { route: "r2", cfg: { a: [1] } }, changed: false });
  });

  it("keeps a __proto__ key from parsed JSON as data without touching the prototype", () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const result = mergeFeatures({ a: 1 }, patch);
    expect(result.changed).toBe(true);
    expect(Object.getPrototypeOf(result.features)).toBe(Object.prototype);
    expect(Object.hasOwn(result.features, "__proto__")).toBe(true);
    expect(JSON.stringify(result.features)).toBe('{"a":1,"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("removes an own __proto__ key with a null patch", () => {
    const current = JSON.parse('{"__proto__": 1, "a": 2}') as Record<string, unknown>;
    const patch = JSON.parse('{"__proto__": null}') as Record<string, unknown>;
    const result = mergeFeatures(current, patch);
    expect(result.changed).toBe(true);
    expect(JSON.stringify(result.features)).toBe('{"a":2}');
  });
});
