// The seed PUT's context read alone, one call at a time on one connection (no concurrency, no HTTP): what a change
// to the statement's text saves per call, measured in a way this machine's noise does not drown (issue 19,
// decision 130). Each statement file is a bare-put-sql.json (its `context` entry is run); the statements take
// turns, block after block, on a fresh database with the app's schema and demo seed, and each prints its time per
// call (client wall time: bind, execute, answer) over the blocks. Run PostgreSQL on a cluster of its own.
//
//   BENCH_PG_URL=postgres://postgres@127.0.0.1:5499/postgres \
//     npx tsx --import ./scripts/server-only-hook.mjs bench/context-read.ts old.json bench/bare-put-sql.json
//   N (3,000 calls per block), BLOCKS (10).
import fs from "node:fs";
import pg from "pg";
import { bind, type Captured } from "./captured-put-sql";
import { freshDemoDatabase } from "./fresh-demo-database";

const BASE = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const N = Number(process.env.N ?? 3000);
const BLOCKS = Number(process.env.BLOCKS ?? 10);
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: context-read.ts STATEMENTS.json [MORE.json …]");
  process.exit(2);
}
const statements = files.map(
  (f) => (JSON.parse(fs.readFileSync(f, "utf8")) as { context: Captured }).context,
);

const { url, drop } = await freshDemoDatabase(BASE, "context_read");
try {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // A demo service with its own active revision of the key: every column of the row has something to read.
  const values = {
    clientId: "client-1",
    domainId: "south_australia",
    scope: "svc-002",
    key: "default",
    modelId: "example-model",
    modelVersion: "2.0.0",
  };
  // The same row from each statement, or the comparison means nothing.
  const rows = await Promise.all(
    statements.map(async (s) => JSON.stringify((await client.query(bind(s, values))).rows)),
  );
  if (new Set(rows).size !== 1)
    throw new Error(`the statements answer different rows:\n${rows.join("\n")}`);
  const times = statements.map(() => [] as number[]);
  for (let block = 0; block < BLOCKS; block++) {
    for (const [i, statement] of statements.entries()) {
      const started = process.hrtime.bigint();
      for (let k = 0; k < N; k++) await client.query(bind(statement, values));
      times[i]!.push(Number(process.hrtime.bigint() - started) / 1e3 / N);
    }
  }
  await client.end();
  for (const [i, statement] of statements.entries()) {
    const sorted = [...times[i]!].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        file: files[i],
        statement: statement.name,
        usPerCallMin: +sorted[0]!.toFixed(1),
        usPerCallMedian: +sorted[sorted.length >> 1]!.toFixed(1),
        blocks: times[i]!.map((t) => +t.toFixed(0)),
      }),
    );
  }
} finally {
  await drop();
}
