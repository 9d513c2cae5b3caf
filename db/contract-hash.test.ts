import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson, contractHash } from "./contract-hash";

describe("canonicalJson", () => {
  it("sorts object keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it("keeps array order and leaves undefined members out, as JSON.stringify does", () => {
    expect(canonicalJson([{ key: "b", default: undefined }, { key: "a" }])).toBe(
      '[{"key":"b"},{"key":"a"}]',
    );
  });

  it("writes strings and numbers as JSON.stringify does", () => {
    expect(canonicalJson({ s: 'a"b\\c\n\u0001é', n: 1.5, i: 12, neg: -0.25 })).toBe(
      `{"i":12,"n":1.5,"neg":-0.25,"s":${JSON.stringify('a"b\\c\n\u0001é')}}`,
    );
  });

  it("orders keys by code point, not UTF-16 unit (an astral character sorts after U+FFFD)", () => {
    expect(canonicalJson({ "\u{1F600}": 1, "\uFFFD": 2, a: 3 })).toBe(
      '{"a":3,"\uFFFD":2,"\u{1F600}":1}',
    );
  });

  it("is the same for the same contract written in another key order", () => {
    const a = [{ key: "route", type: "string", required: true }];
    const b = [{ required: true, type: "string", key: "route" }];
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });
});

describe("contractHash", () => {
  it("is the SHA-256 hex of the canonical JSON", () => {
    const features = [{ type: "string", key: "route", required: true }];
    const expected = createHash("sha256")
      .update('[{"key":"route","required":true,"type":"string"}]')
      .digest("hex");
    expect(contractHash(features)).toBe(expected);
    expect(contractHash(features)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes with anything in the contract: a default, a required flag, the order of features", () => {
    const base = [
      { key: "route", type: "string", required: true },
      { key: "stops", type: "integer", required: false, default: 10 },
    ];
    const hashes = new Set([
      contractHash(base),
      contractHash([base[0], { ...base[1], default: 11 }]),
      contractHash([{ ...base[0], required: false }, base[1]]),
      contractHash([base[1], base[0]]),
    ]);
    expect(hashes.size).toBe(4);
  });
});
