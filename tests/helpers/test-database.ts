// A fresh database per test file: in-memory PGlite always, and a scratch PostgreSQL database when
// TEST_DATABASE_URL points at a server (created here, dropped after).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, setDatabase, type Database } from "@/db/client";

export type DriverName = "pglite" | "postgres";

/** The drivers this run can test: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DRIVERS: DriverName[] = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

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

export async function createTestDatabase(driver: DriverName, options: { seedDemo?: boolean } = {}): Promise<TestDatabase> {
  const seedDemo = options.seedDemo ?? true;
  if (driver === "pglite") {
    const database = await openDatabase({ dataDir: "memory://", seedDemo });
    setDatabase(database);
    return { database, drop: async () => { setDatabase(undefined); await database.close(); } };
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
