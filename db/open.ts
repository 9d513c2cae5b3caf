// Opens a database (PGlite by default, node-postgres with a URL), applies the migrations and, when asked, seeds the
// demo data; on PostgreSQL under an advisory lock, so app processes starting together take turns.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { Pool as PgPool } from "pg";
import { openPglite, openPostgres } from "./client";
import * as schema from "./schema";
import { seedDemoData } from "./seed";
import type { Database, Db, OpenOptions } from "./types";

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
// Any constant: serialises migrations and seeding across app processes sharing one PostgreSQL.
const MIGRATION_LOCK_ID = 7_240_311_905;

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const database = options.url
    ? await openPostgres(options.url, options.poolSize ?? 10, {
        idleSeconds: options.poolIdleSeconds,
      })
    : await openPglite(options.dataDir ?? "./.data", options.loadDataDir);
  try {
    await migrateAndSeed(database, options.seedDemo ?? false);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function migrateAndSeed(database: Database, seedDemo: boolean): Promise<void> {
  if (database.driver === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    if (seedDemo) await seedDemoData(database.db);
    return;
  }
  // node-postgres: hold a session-level advisory lock on one connection while migrating and seeding, so
  // several app processes starting at once against one PostgreSQL take turns.
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = (database.db as unknown as { $client: PgPool }).$client;
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    try {
      const lockedDb = drizzle(client, { schema });
      await migrate(lockedDb, { migrationsFolder: MIGRATIONS_FOLDER });
      if (seedDemo) await seedDemoData(lockedDb as unknown as Db);
    } finally {
      await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}

/** True when the database answers and every migration has been applied (readiness). */
let migrationCount: number | undefined;

export async function isReady(database: Database): Promise<boolean> {
  // The journal ships with the build: read it once, not on every probe.
  migrationCount ??= (
    JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
      entries: unknown[];
    }
  ).entries.length;
  const rows = await database.query<{ n: number }>(
    `select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return (rows[0]?.n ?? 0) >= migrationCount;
}
