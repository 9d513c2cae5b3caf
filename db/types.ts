// The database handle every layer passes around: Drizzle's query builder, plus the statement runners of the hot
// routes (Drizzle SQL too, run with fewer round trips) and a text runner for tests and scripts.
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** Drizzle's transaction handle: what `db.transaction(async (tx) => …)` passes. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type DbDriver = "pglite" | "pg";

/**
 * Runs a parameterised SQL text and returns its rows: for tests, scripts and migrations. Application code builds
 * Drizzle SQL and runs it with `Run`.
 */
export type Query = <T = Record<string, unknown>>(
  text: string,
  params?: unknown[],
  name?: string,
) => Promise<T[]>;

/**
 * One statement: Drizzle SQL built from the schema's columns (values are bind parameters). With a `name`,
 * PostgreSQL parses and plans it once per connection (PGlite ignores the name).
 */
export type Statement = { sql: SQL; name?: string } | PreparedStatement;

/** A statement already rendered to text and bind parameters (`prepared` in db/statement.ts). */
export type PreparedStatement = { text: string; params: unknown[]; name?: string };

/** Runs a statement (or bare SQL) and returns its rows. */
export type Run = <T = Record<string, unknown>>(statement: Statement | SQL) => Promise<T[]>;

/** A transaction opened together with its first statements, and closed together with its last one. */
export type Batch<O = Record<string, unknown>> = {
  /** Rows of the opening read. */
  opening: O[];
  /** Further statements inside the transaction. */
  run: Run;
  /** Runs a last statement and commits, in one round trip on PostgreSQL; resolves with that statement's rows. */
  finish: <T = Record<string, unknown>>(last: Statement | SQL) => Promise<T[]>;
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
  /** Runs a statement outside any transaction (the hot reads: one round trip, prepared by name on PostgreSQL). */
  run: Run;
  /** SQL text with bind parameters: tests, scripts, migrations and the observed-state reads (decision 091). */
  query: Query;
  /** Runs fn in one transaction on one connection (text statements): tests and benchmarks only. */
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
   * LISTENs on a channel: on PostgreSQL over the process's one listening connection (every channel on it,
   * decision 133), which reconnects after a loss; on PGlite in process. `onState(false)` reports a lost connection (notifications may have been missed until the next
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
  /** PostgreSQL: seconds an idle pool connection stays open (0: until the process ends). */
  poolIdleSeconds?: number;
  /** Seed the demo data on a fresh database. */
  seedDemo?: boolean;
  /** PGlite in memory only: start from this dump (`dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Blob;
};
