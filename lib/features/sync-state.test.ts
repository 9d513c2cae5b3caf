import { describe, expect, it } from "vitest";
import {
  applyReport,
  compareReport,
  countSync,
  syncState,
  type Desired,
  type Observed,
  type Report,
} from "./sync-state";

const T0 = new Date("2026-12-01T10:00:00Z");
const min = (m: number) => new Date(T0.getTime() + m * 60_000);
const TEN_MIN = 10 * 60_000;

const desired: Desired = {
  assignment_id: "a-2",
  model_id: "m",
  model_version: "2.0.0",
  contract_hash: "h2",
  created_at: T0,
};
const right: Report = {
  assignment_id: "a-2",
  model_id: "m",
  model_version: "2.0.0",
  contract_hash: "h2",
  state: "loaded",
};
const observed = (over: Partial<Observed> = {}): Observed => ({
  ...right,
  reported_at: min(1),
  sync: "synced",
  sync_since: min(1),
  ...over,
});

describe("compareReport", () => {
  it("synced: the right revision, version and contract, loaded", () => {
    expect(compareReport(desired, right)).toBe("synced");
  });
  it("synced without assignment_id or contract_hash (nothing to contradict)", () => {
    expect(compareReport(desired, { ...right, assignment_id: null, contract_hash: null })).toBe(
      "synced",
    );
  });
  it("out_of_sync: another revision, model or version; still loading; or nothing should run", () => {
    expect(compareReport(desired, { ...right, assignment_id: "a-1" })).toBe("out_of_sync");
    expect(compareReport(desired, { ...right, model_version: "1.0.0" })).toBe("out_of_sync");
    expect(compareReport(desired, { ...right, model_id: "other" })).toBe("out_of_sync");
    expect(compareReport(desired, { ...right, state: "loading" })).toBe("out_of_sync");
    expect(compareReport(null, right)).toBe("out_of_sync");
  });
  it("contract_mismatch: the right version with another contract hash", () => {
    expect(compareReport(desired, { ...right, contract_hash: "h1" })).toBe("contract_mismatch");
  });
  it("failed wins over everything", () => {
    expect(compareReport(desired, { ...right, state: "failed", model_version: "9" })).toBe(
      "failed",
    );
    expect(compareReport(null, { ...right, state: "failed" })).toBe("failed");
  });
  it("another version is out_of_sync even with a matching hash", () => {
    expect(compareReport(desired, { ...right, model_version: "1.0.0", contract_hash: "h1" })).toBe(
      "out_of_sync",
    );
  });
});

describe("syncState", () => {
  it("unknown without a report", () => {
    expect(syncState({ desired, observed: null, now: min(5), staleAfterMs: TEN_MIN })).toEqual({
      sync: "unknown",
      since: null,
      last_seen: null,
    });
  });
  it("keeps the stored state and its since while fresh", () => {
    const o = observed({ sync_since: min(-30) });
    expect(syncState({ desired, observed: o, now: min(5), staleAfterMs: TEN_MIN })).toEqual({
      sync: "synced",
      since: min(-30),
      last_seen: min(1),
    });
  });
  it("unknown once the report is stale_after old, since the moment it went stale", () => {
    const o = observed();
    expect(syncState({ desired, observed: o, now: min(10.99), staleAfterMs: TEN_MIN }).sync).toBe(
      "synced",
    );
    expect(syncState({ desired, observed: o, now: min(11), staleAfterMs: TEN_MIN })).toEqual({
      sync: "unknown",
      since: min(11),
      last_seen: min(1),
    });
  });
  it("recomputes against what should run now: a move after the report is out_of_sync since the move", () => {
    const moved: Desired = {
      ...desired,
      assignment_id: "a-3",
      model_version: "3.0.0",
      created_at: min(4),
    };
    expect(
      syncState({ desired: moved, observed: observed(), now: min(6), staleAfterMs: TEN_MIN }),
    ).toEqual({
      sync: "out_of_sync",
      since: min(4),
      last_seen: min(1),
    });
  });
});

describe("applyReport", () => {
  it("a first report changes unknown to its state, since now", () => {
    expect(
      applyReport({ desired, previous: null, report: right, now: min(2), staleAfterMs: TEN_MIN }),
    ).toEqual({ sync: "synced", since: min(2), previous: "unknown", changed: true });
  });
  it("the same state again is no change and keeps its since", () => {
    const previous = observed({ sync_since: min(-30) });
    expect(
      applyReport({ desired, previous, report: right, now: min(3), staleAfterMs: TEN_MIN }),
    ).toEqual({ sync: "synced", since: min(-30), previous: "synced", changed: false });
  });
  it("a report after a stale one changes unknown back", () => {
    const previous = observed();
    expect(
      applyReport({ desired, previous, report: right, now: min(30), staleAfterMs: TEN_MIN }),
    ).toEqual({ sync: "synced", since: min(30), previous: "unknown", changed: true });
  });
  it("a failure after synced is a change", () => {
    const r = applyReport({
      desired,
      previous: observed(),
      report: { ...right, state: "failed" },
      now: min(3),
      staleAfterMs: TEN_MIN,
    });
    expect(r).toEqual({ sync: "failed", since: min(3), previous: "synced", changed: true });
  });
});

describe("countSync", () => {
  it("counts every state, zero for the absent ones", () => {
    expect(countSync(["synced", "synced", "failed"])).toEqual({
      synced: 2,
      out_of_sync: 0,
      contract_mismatch: 0,
      failed: 1,
      unknown: 0,
    });
  });
});
