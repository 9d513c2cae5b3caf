// Reads of the audit log, newest first, filtered by actor, action, entity, client and time; as JSON pages or
// as a streamed CSV export.
import "server-only";
import { and, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Database } from "@/db/types";
import { auditLog } from "@/db/schema";
import type { Actor } from "@/lib/shared/scopes";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import { forbidden } from "@/lib/shared/errors";
import type { auditEntry, auditQuery } from "@/lib/schemas/audit";
import type { paginationQuery } from "@/lib/schemas/common";

type AuditEntry = z.infer<typeof auditEntry>;

/** The query's filters (GET /v2/audit), and the cursor to continue from. */
type AuditFilter = Omit<z.infer<typeof auditQuery>, "format"> &
  Pick<z.infer<typeof paginationQuery>, "cursor">;

/** Who reads (a caller limited to some clients sees only theirs) and what. */
type AuditRead<F extends AuditFilter = AuditFilter> = { actor: Actor; filter: F };

function toEntry(r: typeof auditLog.$inferSelect): AuditEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    entity_type: r.entityType,
    entity_id: r.entityId,
    client_id: r.clientId,
    request_id: r.requestId,
    reason: r.reason,
    before: r.before ?? null,
    after: r.after ?? null,
  };
}

/** The WHERE of a filter for this caller: a caller limited to some clients sees only those clients' entries. */
function conditions({ actor: caller, filter }: AuditRead, afterId: number | null): SQL | undefined {
  if (caller.clients !== "*" && filter.client_id !== undefined) {
    if (!caller.clients.has(filter.client_id))
      throw forbidden(`This token or session may not access client "${filter.client_id}"`);
  }
  return and(
    filter.client_id !== undefined ? eq(auditLog.clientId, filter.client_id) : undefined,
    caller.clients !== "*" ? inArray(auditLog.clientId, [...caller.clients]) : undefined,
    filter.entity_type !== undefined ? eq(auditLog.entityType, filter.entity_type) : undefined,
    filter.entity_id !== undefined ? eq(auditLog.entityId, filter.entity_id) : undefined,
    filter.actor !== undefined ? eq(auditLog.actor, filter.actor) : undefined,
    filter.action !== undefined ? eq(auditLog.action, filter.action) : undefined,
    filter.since !== undefined ? gte(auditLog.at, new Date(filter.since)) : undefined,
    filter.until !== undefined ? lt(auditLog.at, new Date(filter.until)) : undefined,
    afterId !== null ? lt(auditLog.id, afterId) : undefined,
  );
}

async function readPage(
  database: Database,
  read: AuditRead,
  afterId: number | null,
  limit: number,
): Promise<AuditEntry[]> {
  const rows = await database.db
    .select()
    .from(auditLog)
    .where(conditions(read, afterId))
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map(toEntry);
}

function cursorId(cursor: string | undefined): number | null {
  const after = decodeCursor(cursor, ["number"]);
  return after ? (after[0] as number) : null;
}

/** One page of entries, newest first, and the cursor of the next page. */
export async function listAudit(
  database: Database,
  read: AuditRead<AuditFilter & { limit: number }>,
): Promise<{ items: AuditEntry[]; next_cursor: string | null }> {
  const { limit, cursor } = read.filter;
  const rows = await readPage(database, read, cursorId(cursor), limit + 1);
  return pageOf(rows, limit, (r) => [r.id]);
}

const CSV_COLUMNS = [
  "id",
  "at",
  "actor",
  "action",
  "entity_type",
  "entity_id",
  "client_id",
  "request_id",
  "reason",
  "before",
  "after",
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled. A text that a
 * spreadsheet would run as a formula (starting with = + - @, or a tab or carriage return) gets a leading '.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(entry: AuditEntry): string {
  return CSV_COLUMNS.map((column) => csvField(entry[column])).join(",") + "\r\n";
}

/** Rows read per query of an export: the export is streamed page by page, never held whole in memory. */
const CSV_PAGE_SIZE = 500;

/** Every entry the filter matches (from the cursor on, if any), as a CSV stream, newest first. */
export function exportAuditCsv(database: Database, read: AuditRead): ReadableStream<Uint8Array> {
  // Checked before the first byte, so a refused filter is a JSON error, not a broken download.
  conditions(read, null);
  let afterId = cursorId(read.filter.cursor);
  let done = false;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(CSV_COLUMNS.join(",") + "\r\n"));
    },
    async pull(controller) {
      if (done) return;
      const rows = await readPage(database, read, afterId, CSV_PAGE_SIZE);
      if (rows.length > 0) {
        controller.enqueue(encoder.encode(rows.map(csvRow).join("")));
        afterId = rows[rows.length - 1]!.id;
      }
      if (rows.length < CSV_PAGE_SIZE) {
        done = true;
        controller.close();
      }
    },
  });
}
