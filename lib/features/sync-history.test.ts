import { describe, expect, it } from "vitest";
import { syncHistoryByKey, type FeedChange } from "./sync-history";
import type { SyncState } from "./sync-state";

const sync = (
  cursor: number,
  key: string,
  from: SyncState,
  to: SyncState,
  serviceId = "svc-1",
): FeedChange => ({
  cursor: String(cursor),
  at: `2026-01-01T00:00:${String(cursor).padStart(2, "0")}.000Z`,
  kind: "service",
  action: "sync_changed",
  assignment_key: key,
  service_id: serviceId,
  actor: `reporter-${cursor}`,
  previous_sync: from,
  sync: to,
});

describe("syncHistoryByKey", () => {
  it("gives each key's sync changes newest first, as from → to with when and who", () => {
    const history = syncHistoryByKey(
      [
        sync(3, "default", "unknown", "synced"),
        sync(7, "default", "synced", "failed"),
        sync(5, "ranking", "unknown", "out_of_sync"),
        sync(9, "default", "failed", "synced"),
      ],
      "svc-1",
    );
    expect([...history.keys()].sort()).toEqual(["default", "ranking"]);
    expect(history.get("default")).toEqual([
      {
        cursor: "9",
        at: "2026-01-01T00:00:09.000Z",
        from: "failed",
        to: "synced",
        actor: "reporter-9",
      },
      {
        cursor: "7",
        at: "2026-01-01T00:00:07.000Z",
        from: "synced",
        to: "failed",
        actor: "reporter-7",
      },
      {
        cursor: "3",
        at: "2026-01-01T00:00:03.000Z",
        from: "unknown",
        to: "synced",
        actor: "reporter-3",
      },
    ]);
    expect(history.get("ranking")?.map((e) => `${e.from}→${e.to}`)).toEqual([
      "unknown→out_of_sync",
    ]);
  });

  it("compares cursors as numbers (10 is newer than 9)", () => {
    const history = syncHistoryByKey(
      [sync(9, "default", "unknown", "synced"), sync(10, "default", "synced", "failed")],
      "svc-1",
    );
    expect(history.get("default")?.map((e) => e.cursor)).toEqual(["10", "9"]);
  });

  it("keeps only the last ten per key", () => {
    const changes = Array.from({ length: 25 }, (_, i) =>
      sync(i + 1, "default", i % 2 ? "synced" : "failed", i % 2 ? "failed" : "synced"),
    );
    const entries = syncHistoryByKey(changes, "svc-1").get("default")!;
    expect(entries).toHaveLength(10);
    expect(entries.map((e) => e.cursor)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(25 - i)),
    );
    expect(syncHistoryByKey(changes, "svc-1", 3).get("default")).toHaveLength(3);
  });

  it("leaves out other services, other kinds and actions", () => {
    const history = syncHistoryByKey(
      [
        sync(1, "default", "unknown", "synced", "svc-2"),
        { ...sync(2, "default", "unknown", "synced"), kind: "assignment", action: "upsert" },
        { ...sync(3, "default", "unknown", "synced"), action: "patch" },
        {
          cursor: "4",
          at: "2026-01-01T00:00:04.000Z",
          kind: "service",
          action: "depart",
          service_id: "svc-1",
          actor: "admin",
        },
      ],
      "svc-1",
    );
    expect(history.size).toBe(0);
  });
});
