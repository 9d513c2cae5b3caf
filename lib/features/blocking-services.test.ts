import { describe, expect, it } from "vitest";
import { blockingEntry, blockingMessage } from "./blocking-services";
import type { CompatibilityResult } from "./types";

const result = (over: Partial<CompatibilityResult>): CompatibilityResult => ({
  service_id: "svc",
  compatible: false,
  missing: [],
  invalid: [],
  unused: [],
  ...over,
});

describe("blockingEntry", () => {
  it("is null when every result is compatible", () => {
    expect(blockingEntry("svc", [result({ compatible: true }), result({ compatible: true })])).toBe(
      null,
    );
    expect(blockingEntry("svc", [])).toBe(null);
  });

  it("merges the results: each missing key once, the first invalid report per key", () => {
    const entry = blockingEntry("svc", [
      result({ missing: ["route"], invalid: [{ key: "stops", expected: "integer", got: '"x"' }] }),
      result({ compatible: true, missing: ["ignored"] }),
      result({
        missing: ["route", "mode"],
        invalid: [{ key: "stops", expected: "number", got: '"x"' }],
      }),
    ]);
    expect(entry).toEqual({
      service_id: "svc",
      missing: ["route", "mode"],
      invalid: [{ key: "stops", expected: "integer", got: '"x"' }],
    });
  });
});

describe("blockingMessage", () => {
  const entry = (id: string) => ({
    service_id: id,
    missing: ["route", "mode"],
    invalid: [{ key: "stops", expected: "integer", got: '"ten"' }],
  });

  it("words a refused assignment, naming at most five services", () => {
    expect(
      blockingMessage([entry("a")], { kind: "assignment", modelId: "m", version: "2.0.0" }),
    ).toBe(
      'Feature contract mismatch: 1 service is not compatible with m 2.0.0: a (missing route, mode; stops should be integer, got "ten"). ' +
        "Provide the features with service_updates (or PATCH the services) and retry; blocking_services lists them all.",
    );
    const seven = ["a", "b", "c", "d", "e", "f", "g"].map((id) => ({
      service_id: id,
      missing: ["route"],
      invalid: [],
    }));
    expect(blockingMessage(seven, { kind: "assignment", modelId: "m", version: "1" })).toBe(
      "Feature contract mismatch: 7 services are not compatible with m 1: a (missing route), b (missing route), " +
        "c (missing route), d (missing route), e (missing route) and 2 more. " +
        "Provide the features with service_updates (or PATCH the services) and retry; blocking_services lists them all.",
    );
  });

  it("words a refused change of one service's features", () => {
    expect(
      blockingMessage([entry("svc-1")], { kind: "service-features", serviceId: "svc-1" }),
    ).toBe(
      'Feature contract mismatch: service "svc-1" would no longer satisfy the model versions assigned to it (missing route, mode; stops should be integer, got "ten"). ' +
        "Keep the features those versions need, or change the assignments first.",
    );
  });
});
