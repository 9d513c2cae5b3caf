// Runs a write in one transaction; with dryRun, runs every statement and check, then rolls back and returns
// what the write would have returned.
import "server-only";
import type { Database, Query, Tx } from "./types";

/** Thrown inside a transaction to roll it back while carrying the result a dry run answers with. */
export class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super("dry run rollback");
  }
}

/** Runs fn in one Drizzle transaction; with dryRun, rolls it back and answers what it returned. */
export function inDbTransaction<T>(
  database: Database,
  dryRun: boolean | undefined,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return dryRunnable(dryRun, (body) => database.db.transaction(body), fn);
}

/** Runs fn in one transaction on the raw query channel (`database.transaction`); with dryRun, as inDbTransaction. */
export function inQueryTransaction<T>(
  database: Database,
  dryRun: boolean | undefined,
  fn: (q: Query) => Promise<T>,
): Promise<T> {
  return dryRunnable(dryRun, (body) => database.transaction(body), fn);
}

async function dryRunnable<T, C>(
  dryRun: boolean | undefined,
  transaction: (body: (channel: C) => Promise<T>) => Promise<T>,
  fn: (channel: C) => Promise<T>,
): Promise<T> {
  try {
    return await transaction(async (channel) => {
      const result = await fn(channel);
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as T;
    throw error;
  }
}
