// The database handle every layer passes around: Drizzle for typed queries, plus the raw paths the hot routes use.
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** Drizzle's transaction handle: what `db.transaction(async (tx) => …)` passes. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type DbDriver = "pglite" | "pg";

/**
 * Runs a parameterised SQL text and returns its rows; the fast path for hot routes. With a `name`, PostgreSQL
 * prepares the statement once per connection and reuses its plan (PGlite ignores the name).
 */
export type Query = <T = Record<string, unknown>>(
  text: string,
  params?: unknown[],
  name?: string,
) => Promise<T[]>;

/** A transaction opened together with its first statements, and closed together with its last one. */
export type Batch = {
  /** Rows of the opening SQL's last statement. */
  opening: Record<string, unknown>[];
  /** Further statements inside the transaction. */
  q: Query;
  /** Runs a last statement (parameters already inlined) and commits, in one round trip on PostgreSQL. */
  finish: <T = Record<string, unknown>>(sql: string) => Promise<T[]>;
};

export type BatchOpening = {
  /** PostgreSQL only (PGlite has one session, so its transactions never overlap): lock statements. */
  locks?: string;
  /** The first read, parameters already inlined. */
  sql?: string;
};

export type Database = {
  db: Db;
  driver: DbDriver;
  query: Query;
  /** Runs fn in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction: <T>(fn: (q: Query) => Promise<T>) => Promise<T>;
  /**
   * Like transaction, with fewer round trips: BEGIN, the locks and the first read travel together, and so do
   * the last write and COMMIT. If fn returns without calling finish, the transaction commits as usual.
   */
  batchTransaction: <T>(opening: BatchOpening, fn: (batch: Batch) => Promise<T>) => Promise<T>;
  /**
   * LISTENs on a channel: on PostgreSQL over one dedicated connection that reconnects after a loss, on PGlite in
   * process. `onState(false)` reports a lost connection (notifications may have been missed until the next
   * `onState(true)`). Resolves once listening, with a function that stops.
   */
  listen: (
    channel: string,
    onNotify: (payload: string) => void,
    onState: (listening: boolean) => void,
  ) => Promise<() => Promise<void>>;
  /** Connections: configured, open, in use, and requests waiting for one (the pool metrics). */
  poolStats: () => PoolStats;
  close: () => Promise<void>;
};

export type PoolStats = { size: number; open: number; inUse: number; waiting: number };

export type OpenOptions = {
  /** postgres:// URL; when absent, PGlite. */
  url?: string;
  /** PGlite: the app's data folder (the database lives in `<dataDir>/pglite`); "memory://" for in-memory. */
  dataDir?: string;
  poolSize?: number;
  /** Seed the demo data on a fresh database. */
  seedDemo?: boolean;
  /** PGlite in memory only: start from this dump (`dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Blob;
};
