// Rollouts at scale (issue 18's measure): 100 domains of 100 services on PostgreSQL, in process (the use cases, no
// HTTP). Times the preview of a rollout over all 100 domains (5 waves of 20), the start (the preview again, then
// wave 1 of 20 domains opened and applied as a change request), a promotion that applies the next wave of 20
// domains, the scheduler's gate check of an applied wave (one tick), and the rollback of every applied wave.
//
//   npx tsx --import ./scripts/server-only-hook.mjs bench/rollouts.ts
//   DOMAINS=100 SERVICES=100 RUNS=5 BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
import pg from "pg";
import { openDatabase } from "@/db/open";
import { rolloutCreateBody } from "@/lib/schemas/rollouts";
import { now } from "@/lib/server/clock";
import {
  actOnRollout,
  createRollout,
  previewRollout,
  tickRollouts,
} from "@/lib/server/rollouts/rollouts";
import type { Actor } from "@/lib/shared/scopes";
import { runBench } from "./main";

const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DOMAINS = Number(process.env.DOMAINS ?? 100);
const SERVICES = Number(process.env.SERVICES ?? 100);
const RUNS = Number(process.env.RUNS ?? 5);
const WAVE = 20;
const actor: Actor = {
  subject: "bench",
  scopes: new Set(["admin", "assignments:write", "services:write"]),
  clients: "*",
  via: "token",
};
const meta = { requestId: "bench" };

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

async function main(): Promise<void> {
  const name = `mac_ro_${Date.now().toString(36)}`;
  await withAdmin((admin) => admin.query(`create database ${name}`));
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), seedDemo: true, poolSize: 10 });
  try {
    await database.query(
      `insert into domains (client_id, id, name)
       select 'client-1', 'd' || lpad(i::text, 3, '0'), 'Domain ' || i from generate_series(1, $1::int) i`,
      [DOMAINS],
    );
    await database.query(
      `insert into services (client_id, domain_id, id, provided_features)
       select 'client-1', 'd' || lpad(d::text, 3, '0'), 'svc-' || lpad(s::text, 4, '0'),
         jsonb_build_object('route', 'r' || s, 'mode', 'bus')
       from generate_series(1, $1::int) d, generate_series(1, $2::int) s`,
      [DOMAINS, SERVICES],
    );
    await database.query(
      `insert into assignments (assignment_id, client_id, domain_id, scope, assignment_key, revision, model_id,
         model_version, status, created_by)
       select gen_random_uuid(), 'client-1', 'd' || lpad(i::text, 3, '0'), '', 'default', 1, 'example-model',
         '1.0.0', 'active', 'bench'
       from generate_series(1, $1::int) i`,
      [DOMAINS],
    );
    await database.query(`analyze`);
    const domains = Array.from({ length: DOMAINS }, (_, i) => `d${String(i + 1).padStart(3, "0")}`);
    const body = rolloutCreateBody.parse({
      assignment_key: "default",
      model_id: "example-model",
      model_version: "2.0.0",
      waves: Array.from({ length: Math.ceil(DOMAINS / WAVE) }, (_, w) => ({
        name: `wave ${w + 1}`,
        targets: domains
          .slice(w * WAVE, (w + 1) * WAVE)
          .map((d) => ({ client_id: "client-1", domain_id: d })),
        gate: { manual: true },
      })),
    });
    console.log(
      `${DOMAINS} domains x ${SERVICES} services, ${body.waves.length} waves of ${WAVE} domains, ${RUNS} runs`,
    );

    const previews: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [p, ms] = await time(() => previewRollout(database, { actor, body }));
      if (p.blocked) throw new Error("unexpected blocking services");
      previews.push(ms);
    }
    const starts: number[] = [];
    const promotes: number[] = [];
    const ticks: number[] = [];
    const rollbacks: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [r, startMs] = await time(() => createRollout(database, { actor, meta, body }));
      if (r.waves[0]!.status !== "applied") throw new Error(`wave 1 is ${r.waves[0]!.status}`);
      starts.push(startMs);
      // The scheduler's look at the applied wave's gate: one statement over its 2,000 services.
      await database.query(
        `update rollouts set next_check_at = now() - interval '1 second' where id = $1`,
        [r.id],
      );
      const [, tickMs] = await time(() => tickRollouts(database, now()));
      ticks.push(tickMs);
      const [p, promoteMs] = await time(() =>
        actOnRollout(database, { actor, meta, id: r.id, action: "promote" }),
      );
      if (p.waves[1]!.status !== "applied") throw new Error(`wave 2 is ${p.waves[1]!.status}`);
      promotes.push(promoteMs);
      const [, rollbackMs] = await time(() =>
        actOnRollout(database, { actor, meta, id: r.id, action: "rollback" }),
      );
      rollbacks.push(rollbackMs);
    }
    const fmt = (xs: number[]) =>
      `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
    console.log(`preview (${DOMAINS} domains, ${DOMAINS * SERVICES} services): ${fmt(previews)}`);
    console.log(`start (preview + wave 1 of ${WAVE} domains applied): ${fmt(starts)}`);
    console.log(`gate check tick (${WAVE * SERVICES} services): ${fmt(ticks)}`);
    console.log(`promote (wave 2 of ${WAVE} domains applied): ${fmt(promotes)}`);
    console.log(`rollback (${2 * WAVE} domains restored, one transaction): ${fmt(rollbacks)}`);
  } finally {
    await database.close();
    await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
  }
}

runBench(main);
