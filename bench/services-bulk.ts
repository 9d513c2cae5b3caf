// `npm run bench:services-bulk` (issue 21, decision 082): one bulk write of 10,000 services' features
// (PATCH …/services), on PostgreSQL over HTTP against the production build. Measured: the PATCH's wall time over
// HTTP (median of BENCH_BULK_RUNS fresh domains, every service changed), the same body as a dry run, the
// statements the write sends (counted in-process for 10 and for 10,000 items: they must be equal), and the
// services page's CSV check of 10,000 rows (parse, validate against each service's versions, plan the write).
import { randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { apiTokens } from "@/db/schema";
import { openDatabase } from "@/db/open";
import type { Database } from "@/db/types";
import { mintToken } from "@/lib/server/auth/tokens";
import type { Actor } from "@/lib/shared/scopes";
import { patchServices } from "@/lib/server/services/write-services";
import { parseCsvText, validateImport } from "@/lib/features/blockers-csv";
import { planImport, serviceContracts } from "@/lib/features/services-csv";
import type { FeatureDefinition } from "@/lib/features/types";
import { createScratchPostgres } from "../tests/helpers/test-database";
import { ROOT, startServer } from "../tests/helpers/server";
import { loggingDatabase } from "../tests/helpers/statement-log";

const SERVICES = 10_000;
const RUNS = Number(process.env.BENCH_BULK_RUNS ?? 5);
const PORT = Number(process.env.BENCH_BULK_PORT ?? 3392);
const AUTH_SECRET = "bench-services-bulk-secret-0123456789-abcdef";
const TOKEN_ID = randomUUID();
const ACTOR: Actor = { subject: "bench", scopes: new Set(["admin"]), clients: "*", via: "token" };

const id = (i: number) => `m-${String(i).padStart(5, "0")}`;
const ALL = Array.from({ length: SERVICES }, (_, i) => i);
const items = (n: number) =>
  ALL.slice(0, n).map((i) => ({
    service_id: id(i),
    provided_features: { route: `route-${i}`, stops: i % 40 },
  }));
const BODY = { items: items(SERVICES) };

/** A domain of 10,000 services on example-model 1.0.0 (direct SQL: a bench shortcut). */
async function createDomain(database: Database, domain: string): Promise<void> {
  await database.query(
    `insert into domains (client_id, id, name, status) values ('client-1', $1, $1, 'active')`,
    [domain],
  );
  await database.query(
    `insert into services (client_id, domain_id, id, name, provided_features, status)
     select 'client-1', $1, 'm-' || lpad(i::text, 5, '0'), 'Metro ' || i, '{"mode": "bus"}'::jsonb, 'active'
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

/** Statements of a dry run of the write (BEGIN/COMMIT/ROLLBACK left out). */
async function statementsOf(database: Database, domain: string, n: number): Promise<number> {
  const seen: string[] = [];
  await patchServices(
    loggingDatabase(database, (text) => seen.push(text)),
    {
      clientId: "client-1",
      domainId: domain,
      items: items(n),
      actor: ACTOR,
      meta: { requestId: randomUUID(), reason: null },
    },
    { dryRun: true },
  );
  return seen.filter((t) => !/^(begin|commit|rollback)/i.test(t.trim())).length;
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
    const domains = Array.from({ length: RUNS + 1 }, (_, i) => `bench_bulk_${i}`);
    for (const d of domains) await createDomain(database, d);
    const statements = {
      items_10: await statementsOf(database, domains[0]!, 10),
      items_10000: await statementsOf(database, domains[0]!, SERVICES),
    };
    await database.close();

    server = await startServer({ port: PORT, env: { DATABASE_URL: scratch.url, AUTH_SECRET } });
    const token = await mintToken(
      { sub: "bench", scopes: ["admin"], clients: "*", jti: TOKEN_ID, expiresInSeconds: 86_400 },
      new TextEncoder().encode(AUTH_SECRET),
    );
    const body = JSON.stringify(BODY);
    const patch = async (domain: string, dryRun = false) => {
      const t0 = performance.now();
      const res = await fetch(
        `${server!.url}/v2/clients/client-1/domains/${domain}/services${dryRun ? "?dry_run=true" : ""}`,
        {
          method: "PATCH",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
        },
      );
      const answer = (await res.json()) as { updated?: number; message?: string };
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`PATCH answered ${res.status}: ${answer.message}`);
      if (answer.updated !== SERVICES) throw new Error(`PATCH updated ${answer.updated}`);
      return ms;
    };
    // Warm-up (first compile of the route's modules), then dry runs and one fresh domain per write.
    await patch(domains[0]!, true);
    const dryTimes: number[] = [];
    for (const d of domains.slice(1)) dryTimes.push(await patch(d, true));
    const times: number[] = [];
    for (const d of domains.slice(1)) times.push(await patch(d));

    // The services page's check of a 10,000-row file: parse, validate per service, plan the write.
    const csv =
      "service_id,feature,value\r\n" + ALL.map((i) => `${id(i)},stops,${i % 40}`).join("\r\n");
    const v1: FeatureDefinition[] = [
      { key: "stops", type: "integer", required: false, default: 10 },
      { key: "mode", type: "enum", required: false, allowed_values: ["bus", "tram"] },
    ];
    const eta: FeatureDefinition[] = [
      { key: "average_speed_kmh", type: "number", required: true, default: 30 },
    ];
    const effective = new Map(
      ALL.map((i) => [
        id(i),
        [
          { model_id: "example-model", model_version: "1.0.0" },
          { model_id: "eta-model", model_version: "1.0.0" },
        ],
      ]),
    );
    const contracts = new Map([
      ["example-model@1.0.0", v1],
      ["eta-model@1.0.0", eta],
    ]);
    const current = new Map(ALL.map((i) => [id(i), { mode: "bus" }]));
    const services = new Map(ALL.map((i) => [id(i), "active" as const]));
    const csvTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const result = validateImport(parseCsvText(csv), {
        services,
        contracts: serviceContracts(effective, contracts),
      });
      const plan = planImport(result.updates, current);
      csvTimes.push(performance.now() - t0);
      if (plan.items.length !== SERVICES) throw new Error("CSV check lost rows");
    }

    console.log(
      JSON.stringify(
        {
          at: new Date().toISOString(),
          services: SERVICES,
          body_bytes: body.length,
          patch_http_ms: { median: Math.round(median(times)), runs: times.map(Math.round) },
          dry_run_http_ms: { median: Math.round(median(dryTimes)), runs: dryTimes.map(Math.round) },
          statements,
          csv_10000_rows_ms: {
            median: Math.round(median(csvTimes)),
            runs: csvTimes.map(Math.round),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await server?.stop();
    await scratch.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
