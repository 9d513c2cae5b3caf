// Observed state on PostgreSQL, in process (no Next.js): a 10,000-item batch report (`reportObservations`, the
// POST …/observations path after body parsing), single reports against the seed PUT's rate on the same run, and
// the status read of a 10,000-service domain (`readSyncStatus`), and the /metrics gauge's count over the whole
// database (`countServicesBySync`) before and after the domain reported. Figures: docs/benchmarks.md "Issue 17".
//
//   npx tsx --import ./scripts/server-only-hook.mjs bench/observations.ts
//   ROUNDS=5 SINGLES=600 BACKEND=pg|pglite BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
import pg from "pg";
import { openDatabase } from "@/db/open";
import { upsertAssignment } from "@/lib/server/assignments/upsert-assignment";
import { reportObservations } from "@/lib/server/observations/report-observations";
import { readSyncStatus } from "@/lib/server/observations/sync-status";
import { countServicesBySync } from "@/lib/server/observations/sync-metrics";
import { observationItem, type ObservationItem } from "@/lib/schemas/observations";
import type { Actor } from "@/lib/shared/scopes";

const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SINGLES = Number(process.env.SINGLES ?? 600);
const BACKEND = process.env.BACKEND === "pglite" ? "pglite" : "pg";
const SERVICES = 10_000;
const ACTOR: Actor = { subject: "bench", scopes: new Set(["admin"]), clients: "*", via: "token" };

async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) =>
  `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;

async function main(): Promise<void> {
  const name = `mac_observed_${Date.now().toString(36)}`;
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
    await database.query(
      `insert into domains (client_id, id, name) values ('client-1', 'big', 'Big')`,
    );
    await database.query(
      `insert into services (client_id, domain_id, id, provided_features)
       select 'client-1', 'big', 'svc-' || lpad(g::text, 5, '0'), '{"mode":"bus"}'::jsonb from generate_series(1, $1::int) g`,
      [SERVICES],
    );
    await database.query(
      `insert into assignments (assignment_id, client_id, domain_id, scope, assignment_key, revision, model_id, model_version, status, created_by)
       values (gen_random_uuid(), 'client-1', 'big', '', 'default', 1, 'example-model', '1.0.0', 'active', 'bench')`,
    );
    const [{ contract_hash: v1 }] = await database.query<{ contract_hash: string }>(
      `select contract_hash from model_versions where model_id = 'example-model' and version = '1.0.0'`,
    );
    const [{ contract_hash: v2 }] = await database.query<{ contract_hash: string }>(
      `select contract_hash from model_versions where model_id = 'example-model' and version = '2.0.0'`,
    );
    const batch = (round: number): ObservationItem[] =>
      Array.from({ length: SERVICES }, (_, i) => ({
        service_id: `svc-${String(i + 1).padStart(5, "0")}`,
        assignment_key: "default",
        model_id: "example-model",
        model_version: "1.0.0",
        // Each round flips a tenth of the services between synced and contract_mismatch: ~1,000 feed rows a round.
        contract_hash: i % 10 === round % 10 ? v2 : v1,
        state: "loaded" as const,
      }));

    console.log(`backend ${BACKEND}; ${SERVICES} services in one domain; ${ROUNDS} rounds`);
    const scrape = async (label: string) => {
      const ms: number[] = [];
      let counts: Record<string, number> = {};
      for (let r = 0; r < ROUNDS; r++) {
        const t0 = performance.now();
        counts = await countServicesBySync(database);
        ms.push(performance.now() - t0);
      }
      console.log(`metrics count (${label}): ${fmt(ms)} ${JSON.stringify(counts)}`);
    };
    await scrape("nothing reported yet");
    const batchMs: number[] = [];
    const parseMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const raw = JSON.parse(JSON.stringify({ items: batch(r) })) as { items: unknown[] };
      const t0 = performance.now();
      const items = raw.items.map((item, index) => ({ index, item: observationItem.parse(item) }));
      const t1 = performance.now();
      const out = await reportObservations(database, {
        clientId: "client-1",
        domainId: "big",
        actor: ACTOR,
        items,
      });
      const t2 = performance.now();
      if (out.length !== SERVICES || out.some((o) => o.error))
        throw new Error("batch refused items");
      parseMs.push(t1 - t0);
      batchMs.push(t2 - t0);
    }
    console.log(
      `batch of ${SERVICES} reports (item validation + read + decide + write): ${fmt(batchMs)}`,
    );
    console.log(`  of which item validation: ${fmt(parseMs)}`);

    const statusMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      const [target] = await readSyncStatus(database, [
        { clientId: "client-1", domainId: "big", key: "default" },
      ]);
      statusMs.push(performance.now() - t0);
      if (target?.services.length !== SERVICES) throw new Error("status missed services");
    }
    console.log(`status of a ${SERVICES}-service domain: ${fmt(statusMs)}`);
    await scrape(`${SERVICES} reported`);

    // Single reports vs the seed PUT, one at a time, alternating blocks on the same run.
    const tag = Math.random().toString(36).slice(2, 7);
    let seq = 0;
    const seedPut = () => {
      const i = seq++;
      return upsertAssignment(database, {
        clientId: "client-1",
        domainId: "south_australia",
        serviceId: "service-1",
        key: `${tag}-k${i}`,
        body: {
          model_id: "example-model",
          model_version: i % 2 === 0 ? "1.0.0" : "2.0.0",
          status: "active",
          settings: {},
          metadata: { seq: i },
        },
        actor: ACTOR,
        meta: { requestId: `b-${i}` },
      });
    };
    let single = 0;
    const oneReport = () => {
      const i = single++;
      return reportObservations(database, {
        clientId: "client-1",
        domainId: "big",
        actor: ACTOR,
        items: [
          {
            index: 0,
            item: {
              service_id: `svc-${String((i % SERVICES) + 1).padStart(5, "0")}`,
              assignment_key: "default",
              model_id: "example-model",
              model_version: "1.0.0",
              contract_hash: i % 2 === 0 ? v1 : v2,
              state: "loaded",
            },
          },
        ],
      });
    };
    const rate = async (fn: () => Promise<unknown>, n: number) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await fn();
      return (n * 1000) / (performance.now() - t0);
    };
    for (let i = 0; i < 30; i++) {
      await seedPut();
      await oneReport();
    }
    const ratios: number[] = [];
    for (let b = 0; b < 3; b++) {
      const put = await rate(seedPut, SINGLES / 3);
      const rep = await rate(oneReport, SINGLES / 3);
      ratios.push(rep / put);
      console.log(
        `block ${b + 1}: seed PUT ${put.toFixed(0)}/s, single report ${rep.toFixed(0)}/s (×${(rep / put).toFixed(2)})`,
      );
    }
    console.log(`single report ÷ seed PUT: median ×${median(ratios).toFixed(2)}`);
  } finally {
    await database.close();
    if (url) await withAdmin((admin) => admin.query(`drop database ${name} with (force)`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
