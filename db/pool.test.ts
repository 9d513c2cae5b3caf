// The PostgreSQL pool keeps idle connections open for DATABASE_POOL_IDLE_SECONDS (decision 135), not node-postgres's
// 10 s: a burst after a pause reuses warm backends instead of starting new ones. PGlite has one session, no pool.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createScratchPostgres, DRIVERS } from "@/tests/helpers/test-database";
import { DEFAULT_POOL_IDLE_SECONDS, openPglite, openPostgres } from "./client";
import type { Database } from "./types";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DRIVERS)("the connection pool on %s", (driver) => {
  const opened: Database[] = [];
  let drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
    for (const drop of drops) await drop();
    drops = [];
  });

  if (driver === "pglite") {
    it("is one session, always open", async () => {
      const database = await openPglite("memory://");
      opened.push(database);
      await database.query("select 1");
      expect(database.poolStats()).toMatchObject({ size: 1, open: 1, waiting: 0 });
    });
    return;
  }

  /** A pool of `size` on a scratch database, with `size` connections opened by concurrent queries. */
  async function busyPool(size: number, idleSeconds?: number) {
    const scratch = await createScratchPostgres();
    drops.push(scratch.drop);
    const database = await openPostgres(
      scratch.url,
      size,
      idleSeconds === undefined ? {} : { idleSeconds },
    );
    opened.push(database);
    const pids = await Promise.all(
      Array.from({ length: size }, () =>
        database.query<{ pid: number }>("select pg_backend_pid() as pid, pg_sleep(0.05)"),
      ),
    );
    expect(database.poolStats()).toMatchObject({ size, open: size, inUse: 0 });
    return { database, pids: new Set(pids.map(([row]) => row!.pid)) };
  }

  /** The pool's backends as PostgreSQL sees them (every connection to the scratch database but this query's). */
  const backends = async (database: Database) =>
    new Set(
      (
        await database.query<{ pid: number }>(
          "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
        )
      ).map((row) => row.pid),
    );

  it("keeps idle connections open by default, so the next burst reuses the same backends", async () => {
    expect(DEFAULT_POOL_IDLE_SECONDS).toBeGreaterThanOrEqual(60);
    const { database, pids } = await busyPool(3);
    expect(pids.size).toBe(3);
    await sleep(1_500);
    expect(database.poolStats().open).toBe(3);
    const again = await Promise.all(
      [0, 1, 2].map(() =>
        database.query<{ pid: number }>("select pg_backend_pid() as pid, pg_sleep(0.05)"),
      ),
    );
    expect(new Set(again.map(([row]) => row!.pid))).toEqual(pids);
  });

  it("closes connections idle longer than the configured seconds, in the pool and in PostgreSQL", async () => {
    const { database, pids } = await busyPool(2, 1);
    await vi.waitFor(() => expect(database.poolStats().open).toBe(0), {
      timeout: 10_000,
      interval: 20,
    });
    // The check itself opens one connection; the two idle ones are gone from PostgreSQL too.
    const left = await backends(database);
    for (const pid of pids) expect(left.has(pid)).toBe(false);
  });
});
