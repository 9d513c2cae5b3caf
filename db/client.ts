// The two drivers behind one Database: embedded PGlite (one process per data folder, locked) and node-postgres.
// db/open.ts opens one, migrates and seeds; lib/server/database.ts keeps the process's database.
import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { PoolClient as PgPoolClient, QueryResult } from "pg";
import * as schema from "./schema";
import type { SQL } from "drizzle-orm";
import { corked } from "./corked";
import { sharedListener } from "./listen-postgres";
import { canRoundTrip, roundTrip } from "./round-trip";
import { render, type Rendered } from "./statement";
import type { Batch, BatchOpening, Database, Db, PoolStats, Query, Run, Statement } from "./types";

export class DataDirLockedError extends Error {}

/**
 * What identifies a live process on Linux: its state and start time (clock ticks since boot) from /proc, so a
 * zombie (killed, not yet reaped by its parent) counts as gone and a recycled pid is told apart from the holder.
 * Null where /proc is unavailable (macOS, Windows).
 */
export function procStat(pid: number): { state: string; startTime: string } | null | "gone" {
  if (!fs.existsSync("/proc/self/stat")) return null;
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return "gone";
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", startTime: fields[19] ?? "" };
}

/** The lock file's content: "pid start-time" (start time empty without /proc). */
function lockContent(): string {
  const stat = procStat(process.pid);
  return `${process.pid} ${stat && stat !== "gone" ? stat.startTime : ""}`.trim();
}

/** True when the process that wrote this lock content still runs (not a zombie, not a recycled pid). */
export function lockHolderAlive(content: string): boolean {
  const [pidText, startTime] = content.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  const stat = procStat(pid);
  if (stat === "gone") return false;
  if (stat) {
    if (stat.state === "Z" || stat.state === "X") return false;
    if (startTime && stat.startTime !== startTime) return false;
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One process per PGlite folder: `lock.pid` created exclusively. A lock left by a process that has gone (crashed,
 * SIGKILLed, a zombie not yet reaped) is taken over at once; see docs/decisions/1xx-ops-runtime-*.md.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, "lock.pid");
  const mine = lockContent();
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, mine);
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, "utf8").trim() === mine) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let content = "";
      try {
        content = fs.readFileSync(lockPath, "utf8");
      } catch {
        continue; // removed meanwhile: try again
      }
      if (lockHolderAlive(content)) {
        const pid = content.trim().split(/\s+/)[0];
        throw new DataDirLockedError(
          `The embedded database in DATA_DIR "${dataDir}" is in use by process ${pid}. ` +
            `Two processes on one PGlite folder corrupt it: stop that process, start this one with another DATA_DIR, ` +
            `or set DATABASE_URL so several processes share one PostgreSQL.`,
        );
      }
      // A stale lock from a process that has gone: take it over.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not lock DATA_DIR "${dataDir}".`);
}

/**
 * The embedded database holds password hashes and the audit log: only its owner may read or write it. New files
 * are made private by the process umask (PGlite creates them 0666 otherwise), and an existing folder made by an
 * earlier version is fixed in place: folders 0700, files 0600.
 */
export function makePrivate(dir: string): void {
  process.umask(0o077);
  const walk = (at: string) => {
    fs.chmodSync(at, 0o700);
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) fs.chmodSync(full, 0o600);
    }
  };
  walk(dir);
}

export async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  let client: InstanceType<typeof PGlite>;
  let release = () => {};
  if (dataDir === "memory://") {
    client = await PGlite.create(loadDataDir ? { loadDataDir } : {});
  } else {
    const dir = path.resolve(dataDir);
    // PGlite does not create parent folders.
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    release = acquireDataDirLock(dir);
    try {
      makePrivate(dir);
      client = await PGlite.create(path.join(dir, "pglite"));
      // PGlite writes some files with its own mode while it starts; the folders (0700) already keep them from
      // others, and this makes the files themselves private too.
      makePrivate(dir);
    } catch (error) {
      release();
      throw error;
    }
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  // PGlite has one session: the "pool" is one connection; queries and transactions queue for it. Counted here
  // (the raw query paths, which the hot routes use) for the pool metrics.
  let active = 0;
  const counted = async <T>(work: () => Promise<T>): Promise<T> => {
    active++;
    try {
      return await work();
    } finally {
      active--;
    }
  };
  const poolStats = (): PoolStats => ({
    size: 1,
    open: 1,
    inUse: active > 0 ? 1 : 0,
    waiting: Math.max(0, active - 1),
  });
  return {
    db,
    driver: "pglite",
    query: <T>(text: string, params: unknown[] = []) =>
      counted(async () => (await client.query<T>(text, params)).rows),
    run: <T>(statement: Statement | SQL) => {
      const { text, params } = render(statement);
      return counted(async () => (await client.query<T>(text, params)).rows);
    },
    transaction: <T>(fn: (q: Query) => Promise<T>) =>
      counted(() =>
        client.transaction((tx) =>
          fn(
            async <R>(text: string, params: unknown[] = []) =>
              (await tx.query<R>(text, params)).rows,
          ),
        ),
      ),
    // One session, so no locks; the same statements with the same bind parameters, in one PGlite transaction.
    batchTransaction: <T, O = Record<string, unknown>>(
      opening: BatchOpening,
      fn: (batch: Batch<O>) => Promise<T>,
    ) =>
      counted(() =>
        client.transaction(async (tx) => {
          const run: Run = async <R>(statement: Statement | SQL) => {
            const { text, params } = render(statement);
            return (await tx.query<R>(text, params)).rows;
          };
          return fn({ opening: await run<O>(opening.read), run, finish: run });
        }),
      ),
    listen: async (channel, onNotify, onState) => {
      const stop = await client.listen(channel, onNotify);
      onState(true);
      return async () => {
        onState(false);
        await stop();
      };
    },
    poolStats,
    close: async () => {
      await client.close();
      release();
    },
  };
}

/**
 * node-postgres with a pool of pipelined connections (`pipeline: true`): a query is written to the socket at once,
 * even while earlier ones on the same connection await their answers, each with its own Sync, so PostgreSQL answers
 * them in order and an error ends only its own statement (inside a transaction block, the block is aborted: every
 * later statement fails with 25P02 and COMMIT answers ROLLBACK). Code that awaits each query (Drizzle, the cold
 * paths) sees no difference. batchTransaction sends several statements in one round trip, with one Sync for all
 * of them once they are prepared on the connection (decision 134: an error then skips the rest of the round trip).
 */
export async function openPostgres(
  url: string,
  poolSize: number,
  { idleSeconds = DEFAULT_POOL_IDLE_SECONDS }: { idleSeconds?: number } = {},
): Promise<Database> {
  const pg = (await import("pg")).default;
  const { drizzle } = await import("drizzle-orm/node-postgres");
  // An idle connection stays open idleSeconds (0: until the process ends), not node-postgres's 10 s: a new one costs
  // a backend's start and warm-up, paid again at every burst after a pause (decision 135). TCP keep-alive notices a
  // peer that went away while it idles.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    pipeline: true,
    idleTimeoutMillis: idleSeconds * 1000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 30_000,
  });
  // An idle client's network error must not crash the process; the pool replaces it.
  pool.on("error", (error) =>
    console.error(
      JSON.stringify({ level: "error", msg: "postgres pool error", error: error.message }),
    ),
  );
  const db = drizzle(pool, { schema }) as unknown as Db;
  const poolStats = (): PoolStats => ({
    size: poolSize,
    open: pool.totalCount,
    inUse: pool.totalCount - pool.idleCount,
    waiting: pool.waitingCount,
  });
  // Every LISTEN of this process on one connection (decision 133).
  const listener = sharedListener(pg.Client, url);

  /**
   * One pipelined round trip on a checked-out connection, answered in order: with one Sync for all of it when
   * every named statement is prepared on the connection (decision 134), else statement by statement (the first
   * time on a connection, so whether each Parse succeeded is never in doubt), in one socket write either way
   * (decision 132). Rejects with the first failing statement's error once every answer is in.
   */
  const roundTripOn = (client: PgPoolClient, statements: Rendered[]): Promise<QueryResult[]> => {
    const list = statements.map(({ text, params, name }) => ({ text, name, values: params }));
    if (canRoundTrip(client, list)) return roundTrip(pg, client, list);
    return inOrder(corked(client, () => statements.map((statement) => run(client, statement))));
  };

  /** Runs fn on one connection of the pool inside BEGIN … COMMIT/ROLLBACK (see withTransaction). */
  const batchTransaction = async <T, O = Record<string, unknown>>(
    opening: BatchOpening,
    fn: (batch: Batch<O>) => Promise<T>,
  ): Promise<T> =>
    withTransaction(await pool.connect(), async (client, closed) => {
      // One round trip: BEGIN, the locks, then the read.
      const opened = await roundTripOn(client, [
        BEGIN,
        ...(opening.locks ? [render(opening.locks)] : []),
        render(opening.read),
      ]);
      return fn({
        opening: opened[opened.length - 1]!.rows as O[],
        run: runOn(client),
        finish: async <R>(last: Statement | SQL) => {
          // One round trip: the write and COMMIT. If the write fails, the write's error is the one reported, and
          // the block is rolled back (by COMMIT, which then answers ROLLBACK, or by withTransaction's ROLLBACK
          // when the Sync came before a COMMIT could run).
          let written: QueryResult, committed: QueryResult;
          try {
            [written, committed] = (await roundTripOn(client, [render(last), COMMIT])) as [
              QueryResult,
              QueryResult,
            ];
          } catch (error) {
            if (client.getTransactionStatus() === "I") closed();
            throw error;
          }
          closed();
          if (committed.command !== "COMMIT")
            throw new Error(`COMMIT answered ${committed.command}`);
          return written.rows as R[];
        },
      });
    });

  return {
    db,
    driver: "pg",
    query: async <T>(text: string, params: unknown[] = [], name?: string) =>
      (await run(pool, { text, params, name })).rows as T[],
    run: runOn(pool),
    batchTransaction,
    transaction: async <T>(fn: (q: Query) => Promise<T>) =>
      withTransaction(await pool.connect(), async (client) => {
        await client.query("begin");
        return fn(queryOn(client));
      }),
    listen: listener.listen,
    poolStats,
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}

type Queryable = Pick<PgPoolClient, "query">;

/** How long an idle pool connection stays open by default (DATABASE_POOL_IDLE_SECONDS). */
export const DEFAULT_POOL_IDLE_SECONDS = 300;

// Named, so each connection parses them once: a round trip then sends them as Bind and Execute (decision 134).
const BEGIN: Rendered = { name: "tx_begin_v1", text: "begin", params: [] };
const COMMIT: Rendered = { name: "tx_commit_v1", text: "commit", params: [] };

/** A rendered statement with bind parameters; named statements are prepared once per connection. */
function run(on: Queryable, statement: Rendered): Promise<QueryResult> {
  const { text, params, name } = statement;
  return on.query(name ? { name, text, values: params } : { text, values: params });
}

function queryOn(client: Queryable): Query {
  return async <R>(text: string, params: unknown[] = [], name?: string) =>
    (await run(client, { text, params, name })).rows as R[];
}

function runOn(on: Queryable): Run {
  return async <R>(statement: Statement | SQL) => (await run(on, render(statement))).rows as R[];
}

/**
 * Waits for every pipelined statement to be answered (none is left in flight), then throws the first error in
 * statement order (the later ones are its consequence: 25P02 in an aborted block) or returns every result.
 */
async function inOrder(sent: Promise<QueryResult>[]): Promise<QueryResult[]> {
  const settled = await Promise.allSettled(sent);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<QueryResult>).value);
}

/**
 * Runs work (which sends BEGIN first) on a checked-out connection: commits when it resolves unless it has ended the
 * transaction itself (`closed()`, before sending its own COMMIT), rolls back when it throws. The connection goes back
 * to the pool only when it is known to be idle outside any transaction (PostgreSQL's ReadyForQuery status "I");
 * one in any other state (a failed ROLLBACK, a lost COMMIT, a broken socket) is destroyed, never reused.
 */
async function withTransaction<T>(
  client: PgPoolClient,
  work: (client: PgPoolClient, closed: () => void) => Promise<T>,
): Promise<T> {
  let open = true;
  try {
    const result = await work(client, () => {
      open = false;
    });
    if (open) {
      open = false;
      await client.query("commit");
    }
    return result;
  } catch (error) {
    if (open) {
      open = false;
      await client.query("rollback").catch(() => {});
    }
    throw error;
  } finally {
    client.release(client.getTransactionStatus() !== "I");
  }
}
