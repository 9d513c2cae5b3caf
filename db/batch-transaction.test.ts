// batchTransaction on both drivers: the opening (BEGIN + locks + read) and the closing write + COMMIT travel
// pipelined on PostgreSQL; bind parameters carry any value; a failing statement reports its own error, leaves
// nothing written and no connection in a transaction.
import net from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchPostgres, DRIVERS } from "@/tests/helpers/test-database";
import { openPglite, openPostgres } from "./client";
import type { Database } from "./types";

const AWKWARD = [
  "it's",
  "back\\slash",
  "multi\nline",
  "emoji 🚍",
  "$1 and $$",
  "",
  "E'x'",
  "'; drop table t; --",
];

describe.each(DRIVERS)("batchTransaction on %s", (driver) => {
  let database: Database;
  let drop = async () => {};
  beforeAll(async () => {
    if (driver === "postgres") {
      const scratch = await createScratchPostgres();
      drop = scratch.drop;
      // One connection: every test also proves the connection came back usable (or was replaced).
      database = await openPostgres(scratch.url, 1);
    } else {
      database = await openPglite("memory://");
    }
    await database.query(`create table probe (id int primary key, v text not null)`);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  const count = async () =>
    (await database.query<{ n: number }>(`select count(*)::int as n from probe`))[0]!.n;

  it("reads with the opening, writes with finish, and commits; any value travels as a bind parameter", async () => {
    for (const [i, value] of AWKWARD.entries()) {
      const written = await database.batchTransaction<{ id: number; v: string }[], { v: string }>(
        {
          locks: { sql: sql`select pg_advisory_xact_lock(hashtextextended(${value}, 0))` },
          read: { name: "probe_read_v1", sql: sql`select ${value}::text as v` },
        },
        async ({ opening: [row], finish }) => {
          expect(row!.v).toBe(value);
          return finish<{ id: number; v: string }>({
            name: "probe_write_v1",
            sql: sql`insert into probe (id, v) values (${i + 1}, ${value}) returning id, v`,
          });
        },
      );
      expect(written).toEqual([{ id: i + 1, v: value }]);
    }
    const rows = await database.query<{ v: string }>(`select v from probe order by id`);
    expect(rows.map((r) => r.v)).toEqual(AWKWARD);
  });

  it("a failing opening read reports its own error and leaves no transaction open", async () => {
    const before = await count();
    await expect(
      database.batchTransaction(
        {
          locks: { sql: sql`select pg_advisory_xact_lock(hashtextextended(${"k"}, 0))` },
          read: { sql: sql`select 1 / ${0}::int as x` },
        },
        async () => "unreachable",
      ),
    ).rejects.toMatchObject({ code: "22012" });
    // The connection answers outside any transaction (a leftover open block would hold the lock and fail here).
    await database.transaction(async (q) => {
      await q(`insert into probe (id, v) values (100, 'after')`);
    });
    expect(await count()).toBe(before + 1);
  });

  // PGlite runs no lock statement (its transactions never overlap): this case exists on PostgreSQL only.
  if (driver === "postgres")
    it("a failing lock statement is the error reported, not the read's 'transaction aborted'", async () => {
      await expect(
        database.batchTransaction(
          { locks: { sql: sql`select 1 / ${0}::int` }, read: { sql: sql`select 1 as x` } },
          async () => "unreachable",
        ),
      ).rejects.toMatchObject({ code: "22012" });
      expect((await database.query<{ x: number }>("select 1 as x"))[0]!.x).toBe(1);
    });

  // Each round trip's statements leave in one socket write (decision 132): BEGIN, the locks and the read; then the
  // write and COMMIT. Once its statements are prepared on the connection, a round trip also ends with one Sync
  // (decision 134), so PostgreSQL answers it in one flush, not one per statement; and once a prepared statement's
  // answer has been described on the connection, it is not described again. Counted at the socket (every
  // connection's writes go through net.Socket's _write/_writev): writes, and the Sync ('S', length 4) and Describe
  // (of the unnamed portal: 'D', length 6, 'P', "") messages in them.
  if (driver === "postgres")
    it("sends each round trip to PostgreSQL in one socket write, ending in one Sync and describing only what is new", async () => {
      const proto = net.Socket.prototype as unknown as Record<
        "_write" | "_writev",
        (...args: unknown[]) => unknown
      >;
      const original = { _write: proto._write, _writev: proto._writev };
      const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);
      const DESCRIBE = Buffer.from([0x44, 0, 0, 0, 6, 0x50, 0]);
      const count = (chunk: unknown, message: Buffer) => {
        if (!Buffer.isBuffer(chunk)) return 0;
        let n = 0;
        for (let at = chunk.indexOf(message); at >= 0; at = chunk.indexOf(message, at + 1)) n++;
        return n;
      };
      const sent = { writes: 0, syncs: 0, describes: 0 };
      const note = (chunk: unknown) => {
        sent.syncs += count(chunk, SYNC);
        sent.describes += count(chunk, DESCRIBE);
      };
      proto._write = function (this: unknown, ...args: unknown[]) {
        sent.writes++;
        note(args[0]);
        return original._write.apply(this, args);
      };
      proto._writev = function (this: unknown, ...args: unknown[]) {
        sent.writes++;
        for (const { chunk } of args[0] as { chunk: unknown }[]) note(chunk);
        return original._writev.apply(this, args);
      };
      const seen: Record<number, unknown> = {};
      try {
        for (const id of [900, 901, 902]) {
          Object.assign(sent, { writes: 0, syncs: 0, describes: 0 });
          let afterOpening = {};
          const [row] = await database.batchTransaction<{ id: number }[], { n: number }>(
            {
              locks: { sql: sql`select pg_advisory_xact_lock(hashtextextended(${"w"}, 0))` },
              read: { name: "probe_count_v1", sql: sql`select count(*)::int as n from probe` },
            },
            async ({ opening: [counted], finish }) => {
              afterOpening = { ...sent };
              expect(counted!.n).toBeGreaterThan(0);
              return finish<{ id: number }>({
                name: "probe_insert_v1",
                sql: sql`insert into probe (id, v) values (${id}, 'one write') returning id`,
              });
            },
          );
          expect(row).toEqual({ id });
          seen[id] = { afterOpening, total: { ...sent } };
        }
      } finally {
        Object.assign(proto, original);
      }
      expect(seen).toEqual({
        // The first time, with each named statement's Parse: statement by statement, one Sync and one Describe
        // each (BEGIN, the lock, the read; the write, COMMIT).
        900: {
          afterOpening: { writes: 1, syncs: 3, describes: 3 },
          total: { writes: 2, syncs: 5, describes: 5 },
        },
        // Then one Sync per round trip. A prepared statement is described once more the first time it goes in a
        // round trip: here the read and the write (BEGIN and COMMIT went in this connection's earlier round trips),
        // and the unnamed lock statement as every time.
        901: {
          afterOpening: { writes: 1, syncs: 1, describes: 2 },
          total: { writes: 2, syncs: 2, describes: 3 },
        },
        // From then on only the unnamed lock statement is described.
        902: {
          afterOpening: { writes: 1, syncs: 1, describes: 1 },
          total: { writes: 2, syncs: 2, describes: 1 },
        },
      });
    });

  // A failure inside a one-Sync round trip: PostgreSQL skips the rest up to the Sync, the failing statement's
  // error is the one reported, and the connection comes back outside any transaction (ROLLBACK after the Sync).
  if (driver === "postgres")
    it("after its statements are prepared, a failing write in a one-Sync round trip reports its own error and rolls back", async () => {
      const insert = (id: number) =>
        database.batchTransaction(
          { read: { name: "probe_count_v2", sql: sql`select count(*)::int as n from probe` } },
          async ({ run, finish }) => {
            // A row of its own each time (the next free id), so that only the write can fail.
            await run(
              sql`insert into probe (id, v) select coalesce(max(id), 0) + 1, 'inside' from probe`,
            );
            return finish({
              name: "probe_insert_v2",
              sql: sql`insert into probe (id, v) values (${id}, 'dup?') returning id`,
            });
          },
        );
      // One connection: the first call prepares both statements on it, the next ones go with one Sync each.
      await insert(700);
      await insert(701);
      const before = await count();
      await expect(insert(700)).rejects.toMatchObject({ code: "23505" });
      expect(await count()).toBe(before);
      // A failing opening read, the first time and then prepared: its own error each time, and the connection is
      // usable after it.
      const failingRead = () =>
        database.batchTransaction(
          {
            locks: { sql: sql`select pg_advisory_xact_lock(hashtextextended(${"f"}, 0))` },
            read: {
              name: "probe_fail_v1",
              sql: sql`select 1 / (count(*) - count(*))::int as x from probe`,
            },
          },
          async () => "unreachable",
        );
      await expect(failingRead()).rejects.toMatchObject({ code: "22012" });
      await expect(failingRead()).rejects.toMatchObject({ code: "22012" });
      expect((await database.query<{ x: number }>("select 1 as x"))[0]!.x).toBe(1);
      await insert(702);
      expect(await count()).toBe(before + 2);
    });

  it("a failing write rolls back the whole transaction, earlier statements included", async () => {
    const before = await count();
    await expect(
      database.batchTransaction({ read: { sql: sql`select 1 as x` } }, async ({ run, finish }) => {
        await run(sql`insert into probe (id, v) values (${200}, ${"inside"})`);
        // A duplicate key: the write fails; COMMIT then answers ROLLBACK.
        return finish(sql`insert into probe (id, v) values (${200}, ${"dup"})`);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await count()).toBe(before);
    expect(await database.query(`select 1 from probe where id = 200`)).toEqual([]);
  });

  it("a throw inside fn rolls back what it wrote", async () => {
    const before = await count();
    await expect(
      database.batchTransaction({ read: { sql: sql`select 1 as x` } }, async ({ run }) => {
        await run(sql`insert into probe (id, v) values (${300}, ${"inside"})`);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await count()).toBe(before);
  });

  it("commits when fn returns without finish", async () => {
    const before = await count();
    await database.batchTransaction({ read: { sql: sql`select 1 as x` } }, async ({ run }) => {
      await run(sql`insert into probe (id, v) values (${400}, ${"no finish"})`);
    });
    expect(await count()).toBe(before + 1);
  });
});
