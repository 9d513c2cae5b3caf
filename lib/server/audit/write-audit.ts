// The one writer of the audit log. Every write records its entry in the same transaction as the change:
// either inside the write's own statement (auditInsert, a data-modifying CTE: no extra statement or round
// trip on the hot paths), or as one more statement through the caller's transaction (writeAudit).
import "server-only";
import { getTableColumns, sql, type Column, type SQL } from "drizzle-orm";
import type { Db, Statement } from "@/db/types";
import { auditLog } from "@/db/schema";
import type { WriteMeta } from "./write-meta";

/** One entry as the caller gives it: the audit_log row to insert, less what the database fills in (id, at). */
export type AuditEntryInput = Omit<typeof auditLog.$inferInsert, "id" | "at">;

/** For auditInsert: an SQL expression (bind parameter, column of the CTE being audited, or literal) per column. */
type AuditSqlValues = { [K in keyof AuditEntryInput]: SQL };

// The columns an entry sets, in the schema's order: every column of audit_log but id and at.
const COLUMNS = Object.entries(getTableColumns(auditLog)).filter(
  ([key]) => key !== "id" && key !== "at",
) as [keyof AuditEntryInput, Column][];
const NAMES = sql.join(
  COLUMNS.map(([, column]) => sql.identifier(column.name)),
  sql`, `,
);

/**
 * `insert into audit_log (…) select … from <source>`: one entry per row of `source` (a CTE or a FROM list),
 * to be used as a data-modifying CTE of the write it records. Values are SQL expressions, never user text.
 */
export function auditInsert(source: SQL, values: AuditSqlValues): SQL {
  const exprs = sql.join(
    COLUMNS.map(([key]) => values[key] ?? sql`null`),
    sql`, `,
  );
  return sql`insert into ${auditLog} (${NAMES}) select ${exprs} from ${source}`;
}

/** Drizzle's transaction handle (or the database itself), for writes done with the query builder. */
type DrizzleTx = Pick<Db, "insert">;

/** The row of one entry: every optional column given explicitly (null when the entry leaves it out). */
function auditRow(entry: AuditEntryInput): AuditEntryInput {
  return {
    ...entry,
    clientId: entry.clientId ?? null,
    requestId: entry.requestId ?? null,
    reason: entry.reason ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    assignmentId: entry.assignmentId ?? null,
  };
}

/**
 * Who changed what, as an entry records it: the caller's subject, the request's id and its change reason, and the
 * entity (its type, its id and, for a client's data, the client). The entry adds its action, before and after.
 */
export function auditBy(
  actor: { subject: string },
  meta: WriteMeta,
  entityType: string,
  entityId: string,
  clientId: string | null = null,
): Pick<
  AuditEntryInput,
  "actor" | "requestId" | "reason" | "entityType" | "entityId" | "clientId"
> {
  return {
    actor: actor.subject,
    requestId: meta.requestId,
    reason: meta.reason ?? null,
    entityType,
    entityId,
    clientId,
  };
}

/** Records several entries in one statement, in the caller's transaction (nothing when there are none). */
export async function writeAuditMany(target: DrizzleTx, entries: AuditEntryInput[]): Promise<void> {
  if (entries.length === 0) return;
  await target.insert(auditLog).values(entries.map(auditRow));
}

/** Records one entry in the caller's transaction (a Drizzle tx; the database itself outside one). */
export async function writeAudit(target: DrizzleTx, entry: AuditEntryInput): Promise<void> {
  await target.insert(auditLog).values(auditRow(entry));
}

/**
 * One entry as a statement (the same insert writeAudit runs, built by Drizzle, values as bind parameters), for a
 * transaction driven through the raw Query (a change request's apply).
 */
export function auditStatement(db: DrizzleTx, entry: AuditEntryInput): Statement {
  const { sql: text, params } = db.insert(auditLog).values(auditRow(entry)).toSQL();
  return { text, params };
}
