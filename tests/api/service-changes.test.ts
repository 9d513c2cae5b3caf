// GET …/changes?service_id=: one service's changes (its sync history on the service page), with the domain's
// cursors, in JSON pages and on the live stream.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, callRaw, DOMAIN_DEFAULT, token } from "../helpers/api";
import { DOMAIN, resetDemo, service } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Change = {
  cursor: string;
  kind: string;
  action: string;
  service_id?: string;
  sync?: string;
  previous_sync?: string;
  actor: string;
};
type Page = { items: Change[]; next_cursor: string };
const CHANGES = `${DOMAIN}/changes`;

describe.each(DRIVERS)("a service's changes (?service_id=) on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let reporter: string;
  let v1: Record<string, unknown>;
  let start: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
    reporter = await token({
      sub: "fleet-reporter",
      scopes: ["observations:write"],
      clients: ["client-1"],
    });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await resetDemo(tdb);
    const hash = (
      await call<{ contract_hash: string }>("GET", "/v2/models/example-model/versions/1.0.0", {
        token: admin,
      })
    ).body.contract_hash;
    const assignment = (
      await call<{ assignment_id: string }>("GET", DOMAIN_DEFAULT, { token: admin })
    ).body.assignment_id;
    v1 = {
      assignment_id: assignment,
      model_id: "example-model",
      model_version: "1.0.0",
      contract_hash: hash,
      state: "loaded",
    };
    start = (await call<Page>("GET", `${CHANGES}?after=latest`, { token: admin })).body.next_cursor;
  });

  const report = async (serviceId: string, state: string) => {
    const res = await call("PUT", `${service(serviceId)}/observed/default`, {
      token: reporter,
      body: { ...v1, state },
    });
    expect(res.status).toBe(200);
  };
  const page = async (query: string) => {
    const res = await call<Page>("GET", `${CHANGES}?${query}`, { token: admin });
    expect(res.status).toBe(200);
    return res.body;
  };

  it("answers only that service's changes, oldest first, and pages with the domain's cursors", async () => {
    // svc-005: unknown → synced → failed → synced; svc-004 in between: unknown → failed.
    await report("svc-005", "loaded");
    await report("svc-004", "failed");
    await report("svc-005", "failed");
    await report("svc-005", "loaded");

    const all = await page(`after=${start}`);
    expect(all.items).toHaveLength(4);

    const mine = await page(`after=${start}&service_id=svc-005`);
    expect(mine.items.map((c) => [c.service_id, c.action, c.previous_sync, c.sync])).toEqual([
      ["svc-005", "sync_changed", "unknown", "synced"],
      ["svc-005", "sync_changed", "synced", "failed"],
      ["svc-005", "sync_changed", "failed", "synced"],
    ]);
    expect(mine.items.every((c) => c.actor === "fleet-reporter")).toBe(true);
    // The cursors are the domain's: the same as in the unfiltered feed.
    const cursors = all.items.filter((c) => c.service_id === "svc-005").map((c) => c.cursor);
    expect(mine.items.map((c) => c.cursor)).toEqual(cursors);
    expect(mine.next_cursor).toBe(cursors[2]);

    // Paging: two, then the last one, then nothing (next_cursor stays where it was).
    const first = await page(`after=${start}&service_id=svc-005&limit=2`);
    expect(first.items.map((c) => c.cursor)).toEqual(cursors.slice(0, 2));
    expect(first.next_cursor).toBe(cursors[1]);
    const second = await page(`after=${first.next_cursor}&service_id=svc-005&limit=2`);
    expect(second.items.map((c) => c.cursor)).toEqual(cursors.slice(2));
    const third = await page(`after=${second.next_cursor}&service_id=svc-005&limit=2`);
    expect(third).toEqual({ items: [], next_cursor: second.next_cursor });

    const other = await page(`after=${start}&service_id=svc-004`);
    expect(other.items.map((c) => [c.service_id, c.sync])).toEqual([["svc-004", "failed"]]);
    expect(await page(`after=${start}&service_id=no-such-service`)).toEqual({
      items: [],
      next_cursor: start,
    });
  });

  it("refuses an empty service_id, and still checks the cursor", async () => {
    const empty = await call<{ message: string }>("GET", `${CHANGES}?service_id=`, {
      token: admin,
    });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/service_id/);
    const beyond = await call<{ message: string }>(
      "GET",
      `${CHANGES}?after=${Number(start) + 5}&service_id=svc-005`,
      { token: admin },
    );
    expect(beyond.status).toBe(400);
    expect(beyond.body.message).toMatch(/beyond the latest change/);
  });

  it("streams only that service's changes", async () => {
    const controller = new AbortController();
    const res = await callRaw("GET", `${CHANGES}?after=${start}&service_id=svc-005`, {
      token: admin,
      headers: { accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    try {
      await report("svc-004", "failed");
      await report("svc-005", "loaded");
      const deadline = Date.now() + 5_000;
      while (!text.includes("\ndata: ") && Date.now() < deadline) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } finally {
      controller.abort();
      await reader.cancel().catch(() => {});
    }
    const events = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as Change);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.map((e) => e.service_id)).toEqual(events.map(() => "svc-005"));
    expect(events[0]).toMatchObject({ action: "sync_changed", sync: "synced" });
  });
});
