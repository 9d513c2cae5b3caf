// Reads of a domain's change feed (the outbox written by the audit_log trigger): pages after a cursor, and the
// cursor checks shared by the JSON and the event-stream forms of GET …/changes.
import "server-only";
import type { Query } from "@/db/types";
import { toIso } from "@/db/iso";
import { badRequest, notFound } from "@/lib/shared/errors";
import type { Change as ChangeItem } from "@/lib/schemas/changes";

export type { ChangeItem };

type ChangeDbRow = {
  seq: number | string;
  at: Date | string;
  kind: "assignment" | "service";
  action: string;
  assignment_key: string | null;
  service_id: string | null;
  assignment_id: string | null;
  actor: string;
};

export type FetchedChange = { seq: number; item: ChangeItem };

// Prepared once per connection: every stream wake-up and every poll runs it.
const CHANGES_SQL = `select c.seq, c.at, c.kind, c.action, c.assignment_key, c.service_id, c.assignment_id, c.actor
  from changes c
  where c.client_id = $1 and c.domain_id = $2 and c.seq > $3
  order by c.seq
  limit $4`;

export function toChangeItem(row: ChangeDbRow): FetchedChange {
  const seq = Number(row.seq);
  const item: ChangeItem = {
    cursor: String(seq),
    at: toIso(row.at),
    kind: row.kind,
    action: row.action,
    ...(row.assignment_key !== null ? { assignment_key: row.assignment_key } : {}),
    ...(row.service_id !== null ? { service_id: row.service_id } : {}),
    ...(row.assignment_id !== null ? { assignment_id: row.assignment_id } : {}),
    actor: row.actor,
  };
  return { seq, item };
}

/** The domain's changes with a cursor above `after`, oldest first. */
export async function fetchChanges(
  q: Query,
  clientId: string,
  domainId: string,
  after: number,
  limit: number,
): Promise<FetchedChange[]> {
  const rows = await q<ChangeDbRow>(
    CHANGES_SQL,
    [clientId, domainId, after, limit],
    "domain_changes_v1",
  );
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
  q: Query,
  clientId: string,
  domainId: string,
  after: number,
  name: string,
): Promise<number> {
  const [row] = await q<{ client: boolean; domain: boolean; head: number | string }>(
    `select exists(select 1 from clients where id = $1) as client,
       exists(select 1 from domains where client_id = $1 and id = $2) as domain,
       coalesce((select h.seq from domain_change_heads h where h.client_id = $1 and h.domain_id = $2), 0) as head`,
    [clientId, domainId],
  );
  if (!row?.client) throw notFound(`Client "${clientId}" not found`);
  if (!row.domain) throw notFound(`Domain "${domainId}" not found in client "${clientId}"`);
  const head = Number(row.head);
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
  q: Query,
  clientId: string,
  domainId: string,
  after: number,
  limit: number,
): Promise<{ items: ChangeItem[]; next_cursor: string }> {
  const rows = await fetchChanges(q, clientId, domainId, after, limit);
  if (rows.length === 0) await checkFeed(q, clientId, domainId, after, "after");
  const last = rows[rows.length - 1];
  return { items: rows.map((r) => r.item), next_cursor: String(last ? last.seq : after) };
}

/** The domain's latest change cursor (0 before its first change); 404 for a missing client or domain. */
export async function feedHead(q: Query, clientId: string, domainId: string): Promise<number> {
  return checkFeed(q, clientId, domainId, 0, "after");
}
