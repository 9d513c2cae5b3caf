// The seed PUT's SQL alone (issue 19): the statements of bench/bare-put-sql.json (the app's, as captured by
// `npm run bench:bare-put`), sent as the bare server sends them (two pipelined round trips per PUT), straight from
// this process to a fresh database with the app's schema and demo seed: no HTTP, no app. What the database side of
// a PUT costs, measured as the CPU of all the cluster's processes (backends, autovacuum, WAL writer, …) per PUT,
// plus the revisions table's HOT updates and dead rows. For comparing schema changes (indexes, triggers, storage
// settings) before and after; run it on a cluster of your own, nothing else using it.
//
//   BENCH_PG_URL=postgres://postgres@/postgres?host=/tmp/sock&port=5432 POSTMASTER_PID=… \
//     npx tsx --import ./scripts/server-only-hook.mjs bench/pg-put.ts
//   SETUP_SQL: statements to run on the fresh database first (trying a schema change).
//   PUTS (6000 per round), ROUNDS (3), CONN (10), KEYS (5000): keys cycle, so after the first KEYS PUTs each one
//   archives the key's active revision, as in bench:bare-put.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { bind, capturedPutSql } from "./captured-put-sql";
import { freshDemoDatabase } from "./fresh-demo-database";

const sql = capturedPutSql();

const BASE = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PUTS = Number(process.env.PUTS ?? 6000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONN = Number(process.env.CONN ?? 10);
const KEYS = Number(process.env.KEYS ?? 5000);
const POSTMASTER = Number(process.env.POSTMASTER_PID ?? 0);

function ticks(pid: number): { own: number; children: number; ppid: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return {
      ppid: Number(f[1]),
      own: Number(f[11]) + Number(f[12]),
      children: Number(f[13]) + Number(f[14]),
    };
  } catch {
    return null;
  }
}
/** CPU ms of the postmaster, its children, and its reaped children. */
function clusterCpuMs(): number {
  const pm = ticks(POSTMASTER);
  if (!pm) return 0;
  let sum = pm.own + pm.children;
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const t = ticks(Number(d));
    if (t && t.ppid === POSTMASTER) sum += t.own;
  }
  return sum * 10;
}

async function main(): Promise<void> {
  const { url, drop } = await freshDemoDatabase(BASE, "pgput");
  // SETUP_SQL: statements run on the fresh database before the PUTs (for trying a schema change before writing its
  // migration).
  if (process.env.SETUP_SQL) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    await setup.query(process.env.SETUP_SQL);
    await setup.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: CONN, pipeline: true } as pg.PoolConfig);
  pool.on("error", () => {});
  let n = 0;
  const put = async (round: number) => {
    const i = n++;
    const key = `k${i % KEYS}`;
    const client = await pool.connect();
    try {
      const values: Record<string, unknown> = {
        domainLock: "client-1/south_australia",
        serviceLock: "client-1/south_australia/service-1",
        clientId: "client-1",
        domainId: "south_australia",
        scope: "service-1",
        key,
        modelId: "example-model",
        modelVersion: i % 2 ? "1.0.0" : "2.0.0",
      };
      const [, , ctx] = await Promise.all([
        client.query("begin"),
        client.query(bind(sql.lock, values)),
        client.query(bind(sql.context, values)),
      ]);
      const c = ctx.rows[0] as {
        active: { assignment_id: string } | null;
        latest: { revision: number } | null;
      };
      Object.assign(values, {
        activeId: c.active?.assignment_id ?? null,
        newId: randomUUID(),
        revision: (c.latest?.revision ?? 0) + 1,
        status: "active",
        settings: "{}",
        metadata: JSON.stringify({ round, i }),
        actor: "bench",
        requestId: randomUUID(),
        patches: "[]",
        action: "assignment.upsert",
        entityId: `client-1/south_australia/service-1/${key}`,
        servicePrefix: "client-1/south_australia/",
      });
      await Promise.all([client.query(bind(sql.write, values)), client.query("commit")]);
    } finally {
      client.release();
    }
  };
  const runRound = async (round: number, count: number) => {
    let left = count;
    await Promise.all(
      Array.from({ length: CONN }, async () => {
        while (left-- > 0) await put(round);
      }),
    );
  };
  try {
    await runRound(0, Math.min(KEYS, PUTS)); // warm-up: every key has an active revision
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    // STATEMENTS=1 (a cluster with pg_stat_statements loaded, track=all): where the time went, per statement.
    if (process.env.STATEMENTS) {
      await db.query("create extension if not exists pg_stat_statements");
      await db.query("select pg_stat_statements_reset()");
    }
    for (let r = 1; r <= ROUNDS; r++) {
      const cpu0 = clusterCpuMs();
      const t0 = performance.now();
      await runRound(r, PUTS);
      const ms = performance.now() - t0;
      const cpu = clusterCpuMs() - cpu0;
      const t = (
        await db.query(
          `select n_tup_upd, n_tup_hot_upd, n_live_tup, n_dead_tup, autovacuum_count, pg_relation_size('assignments') as heap,
             (select sum(pg_relation_size(indexrelid)) from pg_index where indrelid = 'assignments'::regclass) as idx
           from pg_stat_user_tables where relname = 'assignments'`,
        )
      ).rows[0];
      console.log(
        JSON.stringify({
          round: r,
          puts: PUTS,
          perSecond: Math.round(PUTS / (ms / 1000)),
          pgCpuMsPerPut: Number((cpu / PUTS).toFixed(3)),
          ...t,
        }),
      );
    }
    if (process.env.STATEMENTS) {
      const rows = (
        await db.query(
          `select calls, round((total_exec_time / calls)::numeric, 3) as ms_per_call,
             round((shared_blks_hit + shared_blks_read + shared_blks_dirtied)::numeric / calls, 1) as blks_per_call,
             left(regexp_replace(query, '\\s+', ' ', 'g'), 70) as q
           from pg_stat_statements s join pg_database d on d.oid = s.dbid
           where d.datname = current_database() order by total_exec_time desc limit 12`,
        )
      ).rows;
      for (const row of rows) console.log(JSON.stringify(row));
    }
    await db.end();
  } finally {
    await pool.end();
    if (process.env.KEEP) console.log(`kept: ${url}`);
    else await drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
