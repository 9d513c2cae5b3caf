import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { StoredChange } from "@/lib/schemas/change-requests";
import { baseRevisionOf, impactHash } from "./plan-changes";

const change = (over: Partial<StoredChange> = {}): StoredChange => ({
  domain_id: "d",
  service_id: null,
  assignment_key: "default",
  body: { model_id: "m", model_version: "2" },
  if_match: null,
  impact: {
    base_assignment_id: null,
    moves: [],
    blocking_services: [],
    contract_diff: null,
    service_updates: [],
    refusal: null,
    unchanged: false,
  },
  ...over,
});

describe("impactHash", () => {
  it("is the SHA-256 of the changes in canonical JSON", () => {
    const changes = [change()];
    const text =
      '[{"assignment_key":"default","body":{"model_id":"m","model_version":"2"},"domain_id":"d","if_match":null,' +
      '"impact":{"base_assignment_id":null,"blocking_services":[],"contract_diff":null,"moves":[],"refusal":null,' +
      '"service_updates":[],"unchanged":false},"service_id":null}]';
    expect(impactHash(changes)).toBe(createHash("sha256").update(text).digest("hex"));
  });
  it("changes with anything a reviewer approves: a body, a base revision, a blocking service, the order", () => {
    const base = impactHash([change()]);
    expect(impactHash([change({ body: { model_version: "2", model_id: "m" } })])).toBe(base);
    expect(impactHash([change({ body: { model_id: "m", model_version: "3" } })])).not.toBe(base);
    expect(impactHash([change({ if_match: "x" })])).not.toBe(base);
    const blocked = change();
    blocked.impact.blocking_services = [{ service_id: "s", missing: ["route"], invalid: [] }];
    expect(impactHash([blocked])).not.toBe(base);
    const other = change({ assignment_key: "eta" });
    expect(impactHash([change(), other])).not.toBe(impactHash([other, change()]));
  });
});

describe("baseRevisionOf", () => {
  it("takes an ETag, a weak ETag or a bare assignment id", () => {
    const id = "3f0c2a9e-6b1d-4c8e-9a57-2d4b8e1f0c6a";
    expect(baseRevisionOf(`"${id}"`)).toBe(id);
    expect(baseRevisionOf(`W/"${id}"`)).toBe(id);
    expect(baseRevisionOf(id)).toBe(id);
    expect(baseRevisionOf(undefined)).toBeNull();
  });
});
