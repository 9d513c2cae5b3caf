// `npm run bench:blockers` (issue 21): blocking services at scale, on PostgreSQL over HTTP against the production
// build. One domain of 10,000 services where 1,929 block a move to example-model 2.0.0 (1,429 lack `route`, 500
// have a non-boolean `night_service`); one PUT fixes the 1,429 with service_updates and pins the 500 with
// pin_services. Measured: the PUT's wall time over HTTP (median of BENCH_BLOCKERS_RUNS fresh domains), the
// statements the write sends (the same in-process, counted for a small and the large write: they must be equal),
// and the CSV import's parse + validation of 10,000 rows (lib/features/blockers-csv, what the browser runs).
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { apiTokens } from "@/db/schema";
import { openDatabase } from "@/db/open";
import type { Database } from "@/db/types";
import { mintToken } from "@/lib/server/auth/tokens";
import type { Actor } from "@/lib/shared/scopes";
import { upsertAssignment } from "@/lib/server/assignments/upsert-assignment";
import { parseCsvText, validateImport } from "@/lib/features/blockers-csv";
import { createScratchPostgres } from "../tests/helpers/test-database";
import { ROOT, startServer } from "../tests/helpers/server";
import { countingDatabase } from "./domain-default";

const SERVICES = 10_000;
const RUNS = Number(process.env.BENCH_BLOCKERS_RUNS ?? 5);
const PORT = Number(process.env.BENCH_BLOCKERS_PORT ?? 3391);
const AUTH_SECRET = "bench-blockers-secret-0123456789-abcdefghijkl";
const TOKEN_ID = randomUUID();
const ACTOR: Actor = { subject: "bench", scopes: new Set(["admin"]), clients: "*", via: "token" };

const id = (i: number) => `m-${String(i).padStart(5, "0")}`;
const ALL = Array.from({ length: SERVICES }, (_, i) => i);
const LACKS_ROUTE = ALL.filter((i) => i % 7 === 0).map(id); // 1,429
const BAD_NIGHT = ALL.filter((i) => i % 7 === 1 && i < 3_500).map(id); // 500
const BODY = {
  model_id: "example-model",
  model_version: "2.0.0",
  service_updates: LACKS_ROUTE.map((service_id) => ({
    service_id,
    static_features: { route: `route-${service_id}` },
  })),
  pin_services: BAD_NIGHT,
};

/** A domain of 10,000 services on example-model 1.0.0 (direct SQL: a bench shortcut). */
async function createDomain(database: Database, domain: string): Promise<void> {
  await database.query(
    `insert into domains (client_id, id, name, status) values ('client-1', $1, $1, 'active')`,
    [domain],
  );
  await database.query(
    `insert into services (client_id, domain_id, id, name, provided_features, status)
     select 'client-1', $1, 'm-' || lpad(i::text, 5, '0'), 'Metro ' || i,
       case when i % 7 = 0 then '{"mode": "bus"}'::jsonb
            when i % 7 = 1 and i < 3500 then jsonb_build_object('route', 'r-' || i, 'mode', 'bus', 'night_service', 'yes')
            else jsonb_build_object('route', 'r-' || i, 'mode', 'bus') end,
       'active'
     from generate_series(0, $2::int - 1) as i`,
    [domain, SERVICES],
  );
  await database.query(
    `insert into assignments (assignment_id, client_id, domain_id, scope, assignment_key, revision, model_id,
       model_version, status, created_by)
     values ($1, 'client-1', $2, '', 'default', 1, 'example-model', '1.0.0', 'active', 'bench')`,
    [randomUUID(), domain],
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function statementsOf(database: Database, domain: string, body: typeof BODY) {
  const counting = countingDatabase(database);
  counting.reset();
  await upsertAssignment(
    counting.database,
    {
      clientId: "client-1",
      domainId: domain,
      serviceId: null,
      key: "default",
      body: { ...body, status: "active", settings: {}, metadata: {} },
      actor: ACTOR,
      meta: { requestId: randomUUID(), reason: null },
    },
    { dryRun: true },
  );
  return { statements: counting.log().length, transactions: counting.transactions() };
}

async function main(): Promise<void> {
  spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-if-needed.mjs")], {
    stdio: "inherit",
  });
  process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
  const scratch = await createScratchPostgres();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const database = await openDatabase({ url: scratch.url, seedDemo: true });
    await database.db.insert(apiTokens).values({
      id: TOKEN_ID,
      name: "bench",
      subject: "bench",
      scopes: ["admin"],
      clients: ["*"],
      createdBy: "bench",
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const domains = Array.from({ length: RUNS + 1 }, (_, i) => `bench_blockers_${i}`);
    for (const d of domains) await createDomain(database, d);

    // Statements of the write: the large one, and a small one (3 fixes, the rest pinned) — equal.
    const large = await statementsOf(database, domains[0]!, BODY);
    const small = await statementsOf(database, domains[0]!, {
      ...BODY,
      service_updates: BODY.service_updates.slice(0, 3),
      pin_services: [...LACKS_ROUTE.slice(3), ...BAD_NIGHT].sort(),
    });
    await database.close();

    server = await startServer({
      port: PORT,
      env: { DATABASE_URL: scratch.url, AUTH_SECRET },
    });
    const token = await mintToken(
      { sub: "bench", scopes: ["admin"], clients: "*", jti: TOKEN_ID, expiresInSeconds: 86_400 },
      new TextEncoder().encode(AUTH_SECRET),
    );
    const body = JSON.stringify(BODY);
    const put = async (domain: string) => {
      const t0 = performance.now();
      const res = await fetch(
        `${server!.url}/v2/clients/client-1/domains/${domain}/assignments/default`,
        {
          method: "PUT",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
        },
      );
      const answer = (await res.json()) as { pinned?: unknown[]; message?: string };
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`PUT answered ${res.status}: ${answer.message}`);
      if (answer.pinned?.length !== BAD_NIGHT.length)
        throw new Error("PUT pinned the wrong services");
      return ms;
    };
    // Warm-up on the first domain (first compile of the route's modules), then one fresh domain per run.
    await put(domains[0]!);
    const times: number[] = [];
    for (const d of domains.slice(1)) times.push(await put(d));

    // CSV: 10,000 rows parsed and validated against the contract (what the browser does on import).
    const csv =
      "service_id,feature,value\r\n" +
      ALL.map((i) => `${id(i)},route,"route ${i}, north"`).join("\r\n");
    const services = new Map(ALL.map((i) => [id(i), "active" as const]));
    const contract = [
      { key: "route", type: "string" as const, required: true },
      { key: "mode", type: "enum" as const, required: true, allowed_values: ["bus", "tram"] },
    ];
    const csvTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const result = validateImport(parseCsvText(csv), {
        target: "example-model@2.0.0",
        contract,
        services,
      });
      csvTimes.push(performance.now() - t0);
      if (result.updates.length !== SERVICES) throw new Error("CSV validation lost rows");
    }

    const figures = {
      at: new Date().toISOString(),
      services: SERVICES,
      service_updates: BODY.service_updates.length,
      pin_services: BODY.pin_services.length,
      body_bytes: body.length,
      put_http_ms: { median: Math.round(median(times)), runs: times.map(Math.round) },
      statements: { large, small },
      csv_10000_rows_ms: { median: Math.round(median(csvTimes)), runs: csvTimes.map(Math.round) },
    };
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await server?.stop();
    await scratch.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
