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

/** One SQL statement with bind parameters. With a `name`, PostgreSQL parses and plans it once per connection. */
export type Statement = { text: string; params?: unknown[]; name?: string };

/** A transaction opened together with its first statements, and closed together with its last one. */
export type Batch<O = Record<string, unknown>> = {
  /** Rows of the opening read. */
  opening: O[];
  /** Further statements inside the transaction. */
  q: Query;
  /** Runs a last statement and commits, in one round trip on PostgreSQL; resolves with that statement's rows. */
  finish: <T = Record<string, unknown>>(last: Statement) => Promise<T[]>;
};

export type BatchOpening = {
  /**
   * PostgreSQL only (PGlite has one session, so its transactions never overlap): the lock statement, run on its
   * own before the read so that the read's snapshot, taken after the locks are granted, sees every writer that held
   * them.
   */
  locks?: Statement;
  /** The first read. */
  read: Statement;
};

export type Database = {
  db: Db;
  driver: DbDriver;
  query: Query;
  /** Runs fn in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction: <T>(fn: (q: Query) => Promise<T>) => Promise<T>;
  /**
   * Like transaction, with fewer round trips: on PostgreSQL, BEGIN, the locks and the first read are pipelined
   * (sent together, answered together), and so are the last write and COMMIT. Every statement carries bind
   * parameters. If fn returns without calling finish, the transaction commits as usual.
   */
  batchTransaction: <T, O = Record<string, unknown>>(
    opening: BatchOpening,
    fn: (batch: Batch<O>) => Promise<T>,
  ) => Promise<T>;
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
