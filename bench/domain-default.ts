// The domain default upsert over many services: services created fast by direct SQL, then the upsert timed
// in-process (with every statement the app sends counted by wrapping the Database's query/transaction) and
// over HTTP against a running server.
import type { SQL } from "drizzle-orm";
import { render } from "@/db/statement";
import type { Batch, BatchOpening, Database, Query, Run, Statement } from "@/db/types";
import { upsertAssignment } from "@/lib/server/assignments/upsert-assignment";
import type { Actor } from "@/lib/shared/scopes";

export const BENCH_CLIENT = "client-1";
export const DD_KEY = "bench-default";
export const ddDomain = (services: number) => `bench_dd_${services}`;

/** One domain per size, each with `size` active services that satisfy every example-model version. */
export async function createBenchDomains(database: Database, sizes: number[]): Promise<void> {
  for (const size of sizes) {
    const domain = ddDomain(size);
    await database.query(
      `insert into clients (id, name) values ($1, 'Bench client') on conflict (id) do nothing`,
      [BENCH_CLIENT],
    );
    await database.query(
      `insert into domains (client_id, id, name, status) values ($1, $2, $3, 'active') on conflict do nothing`,
      [BENCH_CLIENT, domain, `Bench domain, ${size} services`],
    );
    // route + mode + stops: compatible with example-model 1.0.0 and 2.0.0.
    await database.query(
      `insert into services (client_id, domain_id, id, name, provided_features, status)
       select $1, $2, 'svc-' || lpad(g::text, 6, '0'), 'Bench service ' || g,
         jsonb_build_object('route', 'route-' || g, 'mode', 'bus', 'stops', 10), 'active'
       from generate_series(1, $3::int) g
       on conflict do nothing`,
      [BENCH_CLIENT, domain, size],
    );
  }
}

export type StatementLog = { sql: string; rows: number; ms: number };

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 90);

/** The same Database, counting every statement the app sends (plus BEGIN/COMMIT per transaction). */
export function countingDatabase(database: Database): {
  database: Database;
  reset: () => void;
  log: () => StatementLog[];
  transactions: () => number;
} {
  let statements: StatementLog[] = [];
  let transactions = 0;
  const wrap =
    (q: Query): Query =>
    async <T>(text: string, params?: unknown[], name?: string) => {
      const t0 = performance.now();
      const rows = await q<T>(text, params, name);
      statements.push({
        sql: oneLine(text),
        rows: rows.length,
        ms: performance.now() - t0,
      });
      return rows;
    };
  const wrapRun =
    (run: Run): Run =>
    async <T>(statement: Statement | SQL) => {
      const t0 = performance.now();
      const rows = await run<T>(statement);
      statements.push({
        sql: oneLine(render(statement).text),
        rows: rows.length,
        ms: performance.now() - t0,
      });
      return rows;
    };
  return {
    database: {
      ...database,
      query: wrap(database.query),
      run: wrapRun(database.run),
      transaction: (fn) => {
        transactions++;
        return database.transaction((q) => fn(wrap(q)));
      },
      // The opening (BEGIN + locks + first read) and the closing write + COMMIT are pipelined on PostgreSQL: one
      // round trip each; every statement is still counted.
      batchTransaction: <T, O>(
        opening: BatchOpening,
        fn: (batch: Batch<O>) => Promise<T>,
      ): Promise<T> => {
        transactions++;
        return database.batchTransaction<T, O>(opening, (batch) => {
          const t0 = performance.now();
          if (opening.locks && database.driver === "pg")
            statements.push({ sql: oneLine(render(opening.locks).text), rows: 1, ms: 0 });
          statements.push({
            sql: oneLine(render(opening.read).text),
            rows: batch.opening.length,
            ms: performance.now() - t0,
          });
          return fn({
            ...batch,
            run: wrapRun(batch.run),
            finish: async <R>(last: Statement | SQL) => {
              const t1 = performance.now();
              const rows = await batch.finish<R>(last);
              statements.push({
                sql: oneLine(render(last).text),
                rows: rows.length,
                ms: performance.now() - t1,
              });
              return rows;
            },
          });
        });
      },
    },
    reset: () => {
      statements = [];
      transactions = 0;
    },
    log: () => statements,
    transactions: () => transactions,
  };
}

export type InProcessRun = {
  ms: number;
  statements: number;
  transactions: number;
  written: boolean;
  log: StatementLog[];
};

const ACTOR: Actor = { subject: "bench", scopes: new Set(["admin"]), clients: "*", via: "token" };

/** `runs` domain default upserts on one key, each flipping the version and changing metadata (so each writes). */
export async function domainDefaultInProcess(
  database: Database,
  size: number,
  runs: number,
  tag: string,
): Promise<InProcessRun[]> {
  const counting = countingDatabase(database);
  const out: InProcessRun[] = [];
  for (let i = 0; i < runs; i++) {
    counting.reset();
    const t0 = performance.now();
    const { written } = await upsertAssignment(counting.database, {
      clientId: BENCH_CLIENT,
      domainId: ddDomain(size),
      serviceId: null,
      key: DD_KEY,
      body: {
        model_id: "example-model",
        model_version: i % 2 === 0 ? "2.0.0" : "1.0.0",
        status: "active",
        settings: {},
        metadata: { bench: tag, run: i },
      },
      actor: ACTOR,
      meta: { requestId: `bench-${tag}-${i}` },
    });
    const ms = performance.now() - t0;
    const log = counting.log();
    // BEGIN and COMMIT are statements too (both drivers send them).
    out.push({
      ms,
      statements: log.length + 2 * counting.transactions(),
      transactions: counting.transactions(),
      written,
      log,
    });
  }
  return out;
}

export type HttpRun = { ms: number; status: number; bytes: number };

export async function domainDefaultHttp(
  baseUrl: string,
  token: string,
  size: number,
  runs: number,
  tag: string,
): Promise<HttpRun[]> {
  const out: HttpRun[] = [];
  for (let i = 0; i < runs; i++) {
    const body = JSON.stringify({
      model_id: "example-model",
      model_version: i % 2 === 0 ? "1.0.0" : "2.0.0",
      metadata: { bench: tag, run: i },
    });
    const t0 = performance.now();
    const res = await fetch(
      `${baseUrl}/v2/clients/${BENCH_CLIENT}/domains/${ddDomain(size)}/assignments/${DD_KEY}`,
      {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(60_000),
      },
    );
    const text = await res.text();
    out.push({ ms: performance.now() - t0, status: res.status, bytes: text.length });
  }
  return out;
}

export type ProbeRow = {
  what: string;
  statements: number;
  roundTrips: number;
  log: StatementLog[];
};

/**
 * Statements the seed PUT (first revision, then archive + insert) and the effective GET send, counted the same
 * way. (Over HTTP, authentication adds one revocation-list query per process at most every 5 s.)
 */
export async function statementProbe(database: Database): Promise<ProbeRow[]> {
  const { getEffectiveAssignment } = await import("@/lib/server/assignments/read-assignments");
  const counting = countingDatabase(database);
  const rows: ProbeRow[] = [];
  const scope = { clientId: "client-1", domainId: "south_australia", serviceId: "service-1" };
  for (const [what, version, route] of [
    ["seed PUT, a new key (first revision)", "1.0.0", null],
    ["seed PUT, same key again (archive + insert)", "2.0.0", null],
    ["seed PUT with service_updates (patch + archive + insert, one statement)", "2.0.0", "probe"],
  ] as const) {
    counting.reset();
    await upsertAssignment(counting.database, {
      ...scope,
      key: "bench-probe",
      body: {
        model_id: "example-model",
        model_version: version,
        status: "active",
        settings: {},
        metadata: { probe: what },
        ...(route
          ? {
              service_updates: [
                {
                  service_id: scope.serviceId,
                  static_features: { route: `${route}-${Date.now()}` },
                },
              ],
            }
          : {}),
      },
      actor: ACTOR,
      meta: { requestId: "bench-probe" },
    });
    const log = counting.log();
    const tx = counting.transactions();
    rows.push({ what, statements: log.length + 2 * tx, roundTrips: log.length + 2 * tx, log });
  }
  counting.reset();
  await getEffectiveAssignment(counting.database, { ...scope, key: "default" });
  const log = counting.log();
  rows.push({
    what: "GET …/effective (service falls back to the domain default)",
    statements: log.length,
    roundTrips: log.length,
    log,
  });
  return rows;
}
