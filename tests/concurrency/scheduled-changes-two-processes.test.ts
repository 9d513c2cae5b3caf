// Scheduled change requests with two production servers (scripts/server.mjs, the `npm start` entry) on one
// PostgreSQL: every instance runs the scheduler, and each due request is applied exactly once; with one instance
// SIGKILLed just before the time, the other applies it. The servers' clocks can't be moved from here, so the
// requests are scheduled a few seconds ahead in real time. PostgreSQL only (PGlite is one process by design), like
// every test in tests/concurrency (run when TEST_DATABASE_URL is set).
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/open";
import type { Database } from "@/db/types";
import type { RunningServer } from "../helpers/server";
import { createStore, exited, recordToken, startOn, type Store } from "../ops/ops-helpers";

const REQUESTS = "/v2/clients/client-1/change-requests";
const V1 = { model_id: "example-model", model_version: "1.0.0" };

type Request = {
  id: string;
  status: string;
  applied_by: string | null;
  status_reason: string | null;
};

describe("scheduled changes on two app processes on one PostgreSQL", () => {
  const driver = "postgres" as const;
  let store: Store;
  let database: Database;
  const servers: RunningServer[] = [];
  let token: string;

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await database?.close();
    await store?.drop();
  });

  const api = async <T>(server: RunningServer, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as T, text };
  };

  /** Opens requests for `keys` (new keys of south_australia), all due at `at`; no approval required: approved. */
  const schedule = async (server: RunningServer, keys: string[], at: Date) => {
    const ids: string[] = [];
    for (const key of keys) {
      const res = await api<Request>(server, "POST", REQUESTS, {
        title: `Schedule ${key}`,
        apply_at: at.toISOString(),
        changes: [{ domain_id: "south_australia", assignment_key: key, body: V1 }],
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body.status).toBe("approved");
      ids.push(res.body.id);
    }
    return ids;
  };

  const waitApplied = async (server: RunningServer, ids: string[], deadlineMs: number) => {
    const until = Date.now() + deadlineMs;
    for (;;) {
      const states = await Promise.all(
        ids.map(async (id) => (await api<Request>(server, "GET", `${REQUESTS}/${id}`)).body),
      );
      if (states.every((r) => r.status !== "approved")) return states;
      if (Date.now() > until) return states;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /** Per request: revisions written for it, and its audit events (each exactly once when applied once). */
  const written = async (ids: string[]) =>
    database.query<{ id: string; revisions: number; applied: number; failed: number }>(
      `select cr.id,
         (select count(*)::int from assignments a where a.change_request_id = cr.id) as revisions,
         (select count(*)::int from audit_log l where l.entity_type = 'change_request'
            and l.after->>'id' = cr.id::text and l.action = 'change_request.applied') as applied,
         (select count(*)::int from audit_log l where l.entity_type = 'change_request'
            and l.after->>'id' = cr.id::text and l.action = 'change_request.failed') as failed
       from change_requests cr where cr.id = any($1::uuid[]) order by cr.id`,
      [ids],
    );

  it("applies each due request exactly once with two instances", async () => {
    store = await createStore(driver);
    token = await recordToken(store, ["admin"], "ops-admin");
    const a = await startOn(store);
    servers.push(a);
    const b = await startOn(store);
    servers.push(b);
    database = await openDatabase({ url: store.env.DATABASE_URL });

    const keys = Array.from({ length: 8 }, (_, i) => `sched-${i}`);
    const at = new Date(Date.now() + 3_000);
    const ids = await schedule(a, keys, at);
    const states = await waitApplied(b, ids, 15_000);
    expect(states.map((r) => r.status)).toEqual(ids.map(() => "applied"));
    expect(states.every((r) => r.applied_by === "scheduler")).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime());
    for (const row of await written(ids))
      expect(row, `request ${row.id}`).toMatchObject({ revisions: 1, applied: 1, failed: 0 });
    // One active revision per key, revision 1: nothing written twice.
    const active = await database.query<{ key: string; n: number; max: number }>(
      `select assignment_key as key, count(*)::int as n, max(revision)::int as max from assignments
        where client_id = 'client-1' and domain_id = 'south_australia' and scope = '' and assignment_key like 'sched-%'
        group by assignment_key order by assignment_key`,
    );
    expect(active).toEqual(keys.sort().map((key) => ({ key, n: 1, max: 1 })));
  });

  it("with one instance SIGKILLed just before the time, the other applies it", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const keys = ["killed-0", "killed-1", "killed-2"];
    const at = new Date(Date.now() + 4_000);
    const ids = await schedule(a, keys, at);
    await new Promise((r) => setTimeout(r, at.getTime() - Date.now() - 300));
    process.kill(a.pid, "SIGKILL");
    expect((await exited(a)).signal).toBe("SIGKILL");
    const states = await waitApplied(b, ids, 15_000);
    expect(states.map((r) => r.status)).toEqual(ids.map(() => "applied"));
    for (const row of await written(ids))
      expect(row, `request ${row.id}`).toMatchObject({ revisions: 1, applied: 1, failed: 0 });
  });
});
