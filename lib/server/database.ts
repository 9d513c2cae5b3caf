// The process's database: opened lazily on first use (never at module load: `next build` imports route modules)
// from the environment, and kept on globalThis so dev reloads reuse it.
import "server-only";
import { openDatabase } from "@/db/open";
import type { Database } from "@/db/types";
import { getEnv } from "@/lib/server/env";
import { setPoolStats, setSyncCounts } from "@/lib/server/observability/metrics.mjs";
import { countServicesBySync } from "@/lib/server/observations/sync-metrics";

type GlobalWithDb = typeof globalThis & { __modelConsoleDb?: Promise<Database> };
const globalForDb = globalThis as GlobalWithDb;

/** The process's database, opened on first use. */
export function getDatabase(): Promise<Database> {
  if (!globalForDb.__modelConsoleDb) {
    const env = getEnv();
    const opening = openDatabase({
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      poolSize: env.DATABASE_POOL_SIZE,
      poolIdleSeconds: env.DATABASE_POOL_IDLE_SECONDS,
      seedDemo: env.SEED_DEMO,
    }).then((database) => {
      setPoolStats(database.poolStats);
      setSyncCounts(() => countServicesBySync(database));
      return database;
    });
    globalForDb.__modelConsoleDb = opening;
    // A failed open must not be cached forever: the next request tries again.
    opening.catch(() => {
      if (globalForDb.__modelConsoleDb === opening) globalForDb.__modelConsoleDb = undefined;
    });
  }
  return globalForDb.__modelConsoleDb;
}

/** Tests and scripts install their own database (in-memory PGlite, a scratch PostgreSQL database). */
export function setDatabase(database: Database | undefined): void {
  if (database) {
    setPoolStats(database.poolStats);
    setSyncCounts(() => countServicesBySync(database));
  } else setSyncCounts(() => null);
  globalForDb.__modelConsoleDb = database ? Promise.resolve(database) : undefined;
}
