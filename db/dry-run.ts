// Runs a write in one transaction; with dryRun, runs every statement and check, then rolls back and returns
// what the write would have returned.
import "server-only";
import type { Database, Tx } from "./types";

/** Thrown inside a transaction to roll it back while carrying the result a dry run answers with. */
export class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super("dry run rollback");
  }
}

/** Runs fn in one Drizzle transaction; with dryRun, rolls it back and answers what it returned. */
export async function inDbTransaction<T>(
  database: Database,
  dryRun: boolean | undefined,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await database.db.transaction(async (tx) => {
      const result = await fn(tx);
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as T;
    throw error;
  }
}
