// The seed PUT's database path alone, without Next.js: `upsertAssignment` in process on a scratch PostgreSQL
// database (or an in-memory PGlite), one at a time and 8 at once, with the CPU each upsert costs in node and in
// PostgreSQL's backends. Less sensitive than `npm run bench` to a busy machine, since it counts CPU, not only time.
//
//   npx tsx --import ./scripts/server-only-hook.mjs bench/upsert-in-process.ts
//   UPSERTS=1200 (per concurrent case)   BACKEND=pg|pglite   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
import fs from "node:fs";
import pg from "pg";
import { openDatabase } from "@/db/open";
import type { Database } from "@/db/types";
import { upsertAssignment } from "@/lib/server/assignments/upsert-assignment";
import type { Actor } from "@/lib/shared/scopes";

const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const UPSERTS = Number(process.env.UPSERTS ?? 1200);
const BACKEND = process.env.BACKEND === "pglite" ? "pglite" : "pg";
const ACTOR: Actor = { subject: "bench", scopes: new Set(["admin"]), clients: "*", via: "token" };
const TICKS_PER_SECOND = 100;

/** User + system CPU of a process, in ms (0 once it has gone). */
function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

async function main(): Promise<void> {
  const name = `mac_upsert_${Date.now().toString(36)}`;
  let url: string | undefined;
  if (BACKEND === "pg") {
    await withAdmin((admin) => admin.query(`create database ${name}`));
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const database = await openDatabase(
    url ? { url, seedDemo: true, poolSize: 10 } : { dataDir: "memory://", seedDemo: true },
  );
  try {
    const tag = Math.random().toString(36).slice(2, 7);
    let seq = 0;
    const upsert = async (hot: boolean) => {
      const i = seq++;
      await upsertAssignment(database, {
        clientId: "client-1",
        domainId: "south_australia",
        serviceId: "service-1",
        key: hot ? `${tag}-hot` : `${tag}-k${i}`,
        body: {
          model_id: "example-model",
          model_version: i % 2 === 0 ? "1.0.0" : "2.0.0",
          status: "active",
          settings: {},
          metadata: { bench: tag, seq: i },
        },
        actor: ACTOR,
        meta: { requestId: `upsert-${i}` },
      });
    };
    const backendPids = async () =>
      url
        ? withAdmin(async (admin) =>
            (
              await admin.query<{ pid: number }>(
                "select pid from pg_stat_activity where datname = $1",
                [name],
              )
            ).rows.map((r) => r.pid),
          )
        : [];
    const measure = async (label: string, concurrency: number, count: number, hot: boolean) => {
      // Warm-up: every connection of the pool has prepared the statements.
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let i = 0; i < 20; i++) await upsert(hot);
        }),
      );
      const pids = await backendPids();
      const pgBefore = pids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
      const cpuBefore = process.cpuUsage();
      const t0 = performance.now();
      let left = count;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (left-- > 0) await upsert(hot);
        }),
      );
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpuBefore);
      const pgMs = pids.reduce((sum, pid) => sum + processCpuMs(pid), 0) - pgBefore;
      console.log(
        JSON.stringify({
          backend: BACKEND,
          case: label,
          upserts: count,
          perSecond: Number((count / (ms / 1000)).toFixed(1)),
          nodeCpuMs: Number(((cpu.user + cpu.system) / 1000 / count).toFixed(3)),
          postgresCpuMs: Number((pgMs / count).toFixed(3)),
        }),
      );
    };
    await measure("distinct keys, one at a time", 1, Math.round(UPSERTS / 2), false);
    await measure("distinct keys, 8 at once", 8, UPSERTS, false);
    await measure("one hot key, 8 at once", 8, UPSERTS, true);
  } finally {
    await closeAndDrop(database, url ? name : null);
  }
}

async function closeAndDrop(database: Database, name: string | null): Promise<void> {
  await database.close();
  if (name) await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
