import { describe, expect, it } from "vitest";
import {
  blockingAfterChange,
  contractsAfterChange,
  type EffectiveEntry,
} from "./contracts-after-change";
import type { FeatureDefinition } from "./types";

const contract = (key: string, type: FeatureDefinition["type"] = "string"): FeatureDefinition[] => [
  { key, type, required: true },
];
const A = contract("a");
const B = contract("b");
const C = contract("c");
const NEW = contract("n");
const entry = (scope: string, key: string, features: FeatureDefinition[]): EffectiveEntry => ({
  scope,
  assignment_key: key,
  assignment_id: `${scope}/${key}`,
  model_id: "m",
  model_version: "1",
  features,
});

describe("contractsAfterChange", () => {
  // k1: a domain default only; k2: the default and s1's own; k3: s2's own only.
  const entries = [
    entry("", "k1", A),
    entry("", "k2", B),
    entry("s1", "k2", C),
    entry("s2", "k3", NEW),
  ];

  it("without a change: per key the service's own assignment, else the domain default", () => {
    expect(contractsAfterChange(entries, "s1")).toEqual([A, C]);
    expect(contractsAfterChange(entries, "s2")).toEqual([A, B, NEW]);
    expect(contractsAfterChange(entries, "s3")).toEqual([A, B]);
  });

  it("a new domain default applies where the service has no own assignment, and comes last", () => {
    const change = { serviceId: null, key: "k1", contract: NEW };
    expect(contractsAfterChange(entries, "s3", change)).toEqual([B, NEW]);
    // s1 keeps its own k2 whatever the default of k2 becomes.
    expect(contractsAfterChange(entries, "s1", { ...change, key: "k2" })).toEqual([A, C]);
    // A new key.
    expect(contractsAfterChange(entries, "s3", { ...change, key: "k9" })).toEqual([A, B, NEW]);
  });

  it("a retired domain default leaves nothing for services without their own", () => {
    expect(
      contractsAfterChange(entries, "s3", { serviceId: null, key: "k1", contract: null }),
    ).toEqual([B]);
  });

  it("a service's new own assignment replaces what applied; retiring it falls back to the default", () => {
    expect(
      contractsAfterChange(entries, "s1", { serviceId: "s1", key: "k2", contract: NEW }),
    ).toEqual([A, NEW]);
    expect(
      contractsAfterChange(entries, "s1", { serviceId: "s1", key: "k2", contract: null }),
    ).toEqual([A, B]);
    expect(
      contractsAfterChange(entries, "s2", { serviceId: "s2", key: "k3", contract: null }),
    ).toEqual([A, B]);
  });

  it("a change of another service's assignment changes nothing here", () => {
    expect(
      contractsAfterChange(entries, "s3", { serviceId: "s1", key: "k1", contract: NEW }),
    ).toEqual([A, B]);
  });
});

describe("blockingAfterChange", () => {
  it("merges what the service lacks for every contract, or null", () => {
    const entries = [entry("", "k1", A), entry("", "k2", contract("b", "integer"))];
    expect(blockingAfterChange(entries, "s", { a: "x", b: 1 })).toBe(null);
    expect(blockingAfterChange(entries, "s", { b: "1" })).toEqual({
      service_id: "s",
      missing: ["a"],
      invalid: [{ key: "b", expected: "integer", got: '"1"' }],
    });
    expect(
      blockingAfterChange(
        entries,
        "s",
        { a: "x", b: 1 },
        { serviceId: "s", key: "k3", contract: NEW },
      ),
    ).toEqual({ service_id: "s", missing: ["n"], invalid: [] });
  });
});
