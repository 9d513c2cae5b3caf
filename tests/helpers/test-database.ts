// A fresh database per test file: in-memory PGlite always, and a scratch PostgreSQL database when
// TEST_DATABASE_URL points at a server (created here, dropped after).
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { openDatabase } from "@/db/open";
import { setDatabase } from "@/lib/server/database";
import type { Database } from "@/db/types";

export type DriverName = "pglite" | "postgres";

/** The drivers this run can test: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DRIVERS: DriverName[] = process.env.TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

export type TestDatabase = { database: Database; url?: string; drop: () => Promise<void> };

export async function createScratchPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `mac_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

// A fresh PGlite runs initdb, the migrations and the seed: seconds of CPU per test file, most of the API suite's
// time. So the first file snapshots that state to the OS temp folder and every later one loads the snapshot,
// keyed by everything that shapes it (migrations, schema, seed, PGlite's version) so a change rebuilds it, and
// by the day, so the seed's relative timestamps ("30 days ago") stay close to now.
const ROOT = path.resolve(import.meta.dirname, "../..");
const SNAPSHOT_PREFIX = "mac-test-pglite-";

function snapshotPath(seedDemo: boolean): string {
  const hash = createHash("sha256").update(
    `seedDemo=${seedDemo}\n${new Date().toISOString().slice(0, 10)}\n`,
  );
  const migrations = path.join(ROOT, "db", "migrations");
  const files = fs
    .readdirSync(migrations, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(migrations, f))
    .filter((f) => fs.statSync(f).isFile())
    .sort();
  for (const file of [
    ...files,
    path.join(ROOT, "db", "schema.ts"),
    path.join(ROOT, "db", "seed.ts"),
    path.join(ROOT, "node_modules/@electric-sql/pglite/package.json"),
  ]) {
    hash.update(path.relative(ROOT, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return path.join(os.tmpdir(), `${SNAPSHOT_PREFIX}${hash.digest("hex").slice(0, 20)}.tar`);
}

/** Snapshots of other days or other code, left by earlier runs (not one a run of other code is writing now). */
function removeStaleSnapshots(keep: string): void {
  const before = Date.now() - 10 * 60 * 1000;
  for (const name of fs.readdirSync(os.tmpdir())) {
    const file = path.join(os.tmpdir(), name);
    if (!name.startsWith(SNAPSHOT_PREFIX) || file === keep) continue;
    try {
      if (fs.statSync(file).mtimeMs < before) fs.rmSync(file, { force: true });
    } catch {
      // another run removed it first
    }
  }
}

async function openPgliteTestDatabase(seedDemo: boolean): Promise<Database> {
  const file = snapshotPath(seedDemo);
  if (fs.existsSync(file)) {
    try {
      return await openDatabase({
        dataDir: "memory://",
        loadDataDir: new Blob([fs.readFileSync(file)]),
        seedDemo,
      });
    } catch {
      // A damaged snapshot: build a new one below.
      fs.rmSync(file, { force: true });
    }
  }
  removeStaleSnapshots(file);
  const database = await openDatabase({ dataDir: "memory://", seedDemo });
  const client = (database.db as unknown as { $client: PGlite }).$client;
  const dump = Buffer.from(await (await client.dumpDataDir("none")).arrayBuffer());
  // Written aside and renamed, so a file running at the same time never reads half a snapshot.
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, dump);
  fs.renameSync(partial, file);
  return database;
}

export async function createTestDatabase(
  driver: DriverName,
  options: { seedDemo?: boolean } = {},
): Promise<TestDatabase> {
  const seedDemo = options.seedDemo ?? true;
  if (driver === "pglite") {
    const database = await openPgliteTestDatabase(seedDemo);
    setDatabase(database);
    return {
      database,
      drop: async () => {
        setDatabase(undefined);
        await database.close();
      },
    };
  }
  const scratch = await createScratchPostgres();
  const database = await openDatabase({ url: scratch.url, seedDemo, poolSize: 10 });
  setDatabase(database);
  return {
    database,
    url: scratch.url,
    drop: async () => {
      setDatabase(undefined);
      await database.close();
      await scratch.drop();
    },
  };
}

/**
 * The keys whose active revision is not their latest one (`client/domain/scope/key: active rN, latest rM`). The
 * upsert's context read takes a key's active revision from its latest (decision 130): every write path must keep
 * an active revision the latest of its key.
 */
export async function activeNotLatest(database: Database): Promise<string[]> {
  const rows = await database.query<{ what: string }>(
    `select a.client_id || '/' || a.domain_id || '/' || a.scope || '/' || a.assignment_key
       || ': active r' || a.revision || ', latest r' || m.latest as what
     from assignments a
     join (select client_id, domain_id, scope, assignment_key, max(revision) as latest
           from assignments group by 1, 2, 3, 4) m using (client_id, domain_id, scope, assignment_key)
     where a.status = 'active' and a.revision <> m.latest
     order by 1`,
  );
  return rows.map((r) => r.what);
}
