// No acknowledged write is lost: concurrent PUTs against a production server, SIGKILL once enough of them were
// answered 2xx, restart on the same data, and every acknowledged revision is there (read back over the API), with
// exactly one active revision per key. On the embedded database (the restart must not be refused by the dead
// process's lock) and on PostgreSQL when TEST_DATABASE_URL is set.
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/open";
import type { RunningServer } from "../helpers/server";
import { DRIVERS } from "../helpers/test-database";
import { createStore, exited, KEY_BASE, recordToken, startOn, type Store } from "./ops-helpers";

const WORKERS = 8;
const KILL_AFTER = 60;
// Each worker writes its own key, and every worker also writes one shared key (the invariant under contention).
const keyOf = (worker: number, i: number) => (i % 3 === 0 ? "crash-shared" : `crash-${worker}`);

type Ack = { key: string; assignment_id: string; revision: number; request: string };

describe.each(DRIVERS)("SIGKILL mid-load (%s)", (driver) => {
  let store: Store;
  const servers: RunningServer[] = [];

  afterAll(async () => {
    for (const s of servers) await s.stop();
    await store?.drop();
  });

  it("keeps every acknowledged write and one active revision per key", async () => {
    store = await createStore(driver);
    const token = await recordToken(store, ["assignments:write", "assignments:read"], "crash-test");
    const server = await startOn(store);
    servers.push(server);

    const acks: Ack[] = [];
    let killed = false;
    let sent = 0;
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const request = `w${w}-${i}`;
        sent++;
        try {
          const res = await fetch(`${server.url}${KEY_BASE}/${keyOf(w, i)}`, {
            method: "PUT",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({
              model_id: "example-model",
              model_version: "1.0.0",
              metadata: { request },
            }),
          });
          const body = (await res.json()) as { assignment_id: string; revision: number };
          if (res.ok) acks.push({ key: keyOf(w, i), ...body, request });
          else throw new Error(`unexpected ${res.status}: ${JSON.stringify(body)}`);
          if (acks.length >= KILL_AFTER && !killed) {
            killed = true;
            process.kill(server.pid, "SIGKILL");
          }
        } catch (error) {
          // After the kill, requests fail at the socket: expected. Before it, nothing may fail.
          if (!killed) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    expect((await exited(server)).signal).toBe("SIGKILL");
    expect(acks.length).toBeGreaterThanOrEqual(KILL_AFTER);

    // Restart at once on the same data: the embedded database's lock names a dead process and is taken over.
    const restartedAt = Date.now();
    const again = await startOn(store);
    servers.push(again);
    const restartMs = Date.now() - restartedAt;

    // Every acknowledged write is readable by id, with the revision it was acknowledged with.
    for (const ack of acks) {
      const res = await fetch(`${again.url}/v2/assignments/${ack.assignment_id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status, `acknowledged ${ack.request} (${ack.assignment_id})`).toBe(200);
      const row = (await res.json()) as { revision: number; metadata: { request: string } };
      expect(row.revision).toBe(ack.revision);
      expect(row.metadata.request).toBe(ack.request);
    }
    await again.stop();

    // Straight from the database: one active revision per key, revisions 1..n without gaps or duplicates.
    const database = await openDatabase(
      store.env.DATABASE_URL ? { url: store.env.DATABASE_URL } : { dataDir: store.dataDir },
    );
    try {
      const rows = await database.query<{ key: string; revisions: number[]; active: number }>(
        `select assignment_key as key, array_agg(revision order by revision) as revisions,
                count(*) filter (where status = 'active')::int as active
         from assignments
         where client_id = 'client-1' and domain_id = 'south_australia' and scope = 'service-1'
           and assignment_key like 'crash-%'
         group by assignment_key`,
      );
      expect(rows.length).toBe(new Set(acks.map((a) => a.key)).size);
      for (const row of rows) {
        expect(row.active, `active revisions of ${row.key}`).toBe(1);
        expect(row.revisions).toEqual(row.revisions.map((_, i) => i + 1));
      }
      const stored = rows.reduce((n, r) => n + r.revisions.length, 0);
      console.log(
        `[sigkill ${driver}] ${acks.length} acknowledged of ${sent} sent, ${stored} stored ` +
          `(${stored - acks.length} unacknowledged writes had committed), restart ready in ${restartMs} ms`,
      );
    } finally {
      await database.close();
    }
  }, 300_000);
});
