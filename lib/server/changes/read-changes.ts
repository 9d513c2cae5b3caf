// Reads of a domain's change feed (the outbox written by the audit_log trigger): pages after a cursor, and the
// cursor checks shared by the JSON and the event-stream forms of GET …/changes.
import "server-only";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { toIso } from "@/db/iso";
import { changes, clients, domainChangeHeads, domains } from "@/db/schema";
import type { Database, Db } from "@/db/types";
import { perDb } from "@/db/statement";
import { badRequest, notFound } from "@/lib/shared/errors";
import type { Change as ChangeItem } from "@/lib/schemas/changes";
import type { SyncState } from "@/lib/features/sync-state";

type Change = typeof changes.$inferSelect;
/** The columns of a change that its wire shape shows. */
type ChangeRecord = Pick<
  Change,
  | "seq"
  | "at"
  | "kind"
  | "action"
  | "assignmentKey"
  | "serviceId"
  | "assignmentId"
  | "actor"
  | "sync"
  | "previousSync"
  | "changeRequestId"
  | "upcoming"
  | "rolloutId"
>;

export type FetchedChange = { seq: number; item: ChangeItem };

type FeedInput = { clientId: string; domainId: string };

/** The one mapper of a change to its wire shape (the feed's items, and the webhooks' payloads). */
export function toChangeItem(row: ChangeRecord): FetchedChange {
  const item: ChangeItem = {
    cursor: String(row.seq),
    at: toIso(row.at),
    kind: row.kind,
    action: row.action,
    ...(row.assignmentKey !== null ? { assignment_key: row.assignmentKey } : {}),
    ...(row.serviceId !== null ? { service_id: row.serviceId } : {}),
    ...(row.assignmentId !== null ? { assignment_id: row.assignmentId } : {}),
    ...(row.changeRequestId !== null ? { change_request_id: row.changeRequestId } : {}),
    ...(row.rolloutId !== null ? { rollout_id: row.rolloutId } : {}),
    actor: row.actor,
    ...(row.sync !== null ? { sync: row.sync as SyncState } : {}),
    ...(row.previousSync !== null ? { previous_sync: row.previousSync as SyncState } : {}),
    ...(row.upcoming !== null ? { upcoming: row.upcoming } : {}),
  };
  return { seq: row.seq, item };
}

function prepareChangesRead(db: Db, byService: boolean) {
  return db
    .select({
      seq: changes.seq,
      at: changes.at,
      kind: changes.kind,
      action: changes.action,
      assignmentKey: changes.assignmentKey,
      serviceId: changes.serviceId,
      assignmentId: changes.assignmentId,
      changeRequestId: changes.changeRequestId,
      rolloutId: changes.rolloutId,
      actor: changes.actor,
      sync: changes.sync,
      previousSync: changes.previousSync,
      upcoming: changes.upcoming,
    })
    .from(changes)
    .where(
      and(
        eq(changes.clientId, sql.placeholder("clientId")),
        eq(changes.domainId, sql.placeholder("domainId")),
        gt(changes.seq, sql.placeholder("after")),
        byService ? eq(changes.serviceId, sql.placeholder("serviceId")) : undefined,
      ),
    )
    .orderBy(asc(changes.seq))
    .limit(sql.placeholder("limit"))
    .prepare(byService ? "domain_service_changes_v1" : "domain_changes_v3");
}

// Prepared once per database (and by PostgreSQL once per connection): every stream wake-up and every poll runs it.
const changesRead = perDb((db) => prepareChangesRead(db, false));
const serviceChangesRead = perDb((db) => prepareChangesRead(db, true));

/**
 * The domain's changes with a cursor above `after`, oldest first; with `serviceId`, only those about that service
 * (read along the domain's feed: the filter narrows the answer, not the rows the domain's index walks).
 */
export async function fetchChanges(
  database: Database,
  input: FeedInput & { after: number; limit: number; serviceId?: string },
): Promise<FetchedChange[]> {
  const byService = input.serviceId !== undefined;
  const read = (byService ? serviceChangesRead : changesRead)(database.db);
  const rows = await read.execute(input);
  return rows.map(toChangeItem);
}

const MAX_CURSOR = Number.MAX_SAFE_INTEGER;

/** A change cursor as given in `?after=` or `Last-Event-ID`: a non-negative integer; "" or absent is the start. */
export function parseChangeCursor(value: string | null | undefined, name: string): number {
  if (value === null || value === undefined || value.trim() === "") return 0;
  const text = value.trim();
  if (!/^\d{1,16}$/.test(text) || Number(text) > MAX_CURSOR) {
    throw badRequest(
      `Invalid ${name} "${value.slice(0, 64)}": pass the cursor of a change you received (a whole number, 0 for the start of the feed)`,
      [{ path: name, message: "must be a change cursor (a whole number)" }],
    );
  }
  return Number(text);
}

/** 404 for a missing client or domain, 400 for a cursor beyond the domain's latest change; the domain's head. */
export async function checkFeed(
  database: Database,
  { clientId, domainId, after, name }: FeedInput & { after: number; name: string },
): Promise<number> {
  // One row when the client exists; its domain and head columns are null when the domain (or its feed) doesn't.
  const [row] = await database.db
    .select({ domainId: domains.id, head: domainChangeHeads.seq })
    .from(clients)
    .leftJoin(domains, and(eq(domains.clientId, clients.id), eq(domains.id, domainId)))
    .leftJoin(
      domainChangeHeads,
      and(
        eq(domainChangeHeads.clientId, domains.clientId),
        eq(domainChangeHeads.domainId, domains.id),
      ),
    )
    .where(eq(clients.id, clientId));
  if (!row) throw notFound(`Client "${clientId}" not found`);
  if (row.domainId === null)
    throw notFound(`Domain "${domainId}" not found in client "${clientId}"`);
  const head = row.head ?? 0;
  if (after > head) {
    throw badRequest(
      `${name} ${after} is beyond the latest change of domain "${domainId}" (${head}): pass a cursor this domain's feed gave you`,
      [{ path: name, message: `must be at most ${head}` }],
    );
  }
  return head;
}

/** GET …/changes as JSON: up to `limit` changes after the cursor; next_cursor is where to continue from. */
export async function listChanges(
  database: Database,
  input: FeedInput & { after: number; limit: number; serviceId?: string },
): Promise<{ items: ChangeItem[]; next_cursor: string }> {
  const rows = await fetchChanges(database, input);
  if (rows.length === 0) await checkFeed(database, { ...input, name: "after" });
  const last = rows[rows.length - 1];
  return { items: rows.map((r) => r.item), next_cursor: String(last ? last.seq : input.after) };
}

/** The domain's latest change cursor (0 before its first change); 404 for a missing client or domain. */
export async function feedHead(database: Database, input: FeedInput): Promise<number> {
  return checkFeed(database, { ...input, after: 0, name: "after" });
}
