// The one shape of an admin create (a client, a domain, a model, a model version): the row and its audit entry
// written in one transaction (a dry run rolls both back), a duplicate answered as 409.
import "server-only";
import { inDbTransaction } from "@/db/dry-run";
import type { Database, Tx } from "@/db/types";
import { isUniqueViolation, type ApiError } from "@/lib/shared/errors";
import { writeAudit, type AuditEntryInput } from "./write-audit";

export type AuditedCreate<R extends { audit: unknown }, W> = {
  /** Inserts the row, returning it with `audit`: what its entry records as `after`. */
  insert: (tx: Tx) => PromiseLike<R[]>;
  /** The row's wire shape (the answer). */
  toWire: (inserted: R) => W;
  /** The entry but its `after`: who, which entity, the action (auditBy plus action). */
  entry: (row: W) => Omit<AuditEntryInput, "after">;
  /** The answer when the row already exists (a unique violation). */
  exists: () => ApiError;
};

export async function createAudited<R extends { audit: unknown }, W>(
  database: Database,
  dryRun: boolean | undefined,
  create: AuditedCreate<R, W>,
): Promise<W> {
  try {
    return await inDbTransaction(database, dryRun, async (tx) => {
      const [inserted] = await create.insert(tx);
      const row = create.toWire(inserted!);
      await writeAudit(tx, { ...create.entry(row), after: inserted!.audit });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw create.exists();
    throw error;
  }
}
