// Reads of assignment revisions: lists, the active revision of a key, its history, one revision by id,
// and the effective assignment of a service (now or at a past time).
import "server-only";
import type { Database, Query } from "@/db/types";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import { forbidden, notFound, unprocessable } from "@/lib/shared/errors";
import type { Actor } from "@/lib/shared/scopes";
import { canTouchClient } from "@/lib/shared/scopes";
import type { AssignmentRevisionRow, AssignmentRow } from "@/lib/schemas/assignments";
import {
  ASSIGNMENT_COLUMNS,
  SERVICE_CHANGES_COLUMN,
  toAssignmentRow,
  toRevisionRow,
  type AssignmentDbRow,
  type RevisionDbRow,
} from "./assignment-row";

export type ScopeRef = { clientId: string; domainId: string; serviceId: string | null };

/** 404s for a missing client, domain or (for service scope) service, in one round trip. */
export async function assertScopeExists(q: Query, scope: ScopeRef): Promise<void> {
  const [row] = await q<{ client: boolean; domain: boolean; service: boolean }>(
    `select exists(select 1 from clients where id = $1) as client,
      exists(select 1 from domains where client_id = $1 and id = $2) as domain,
      exists(select 1 from services where client_id = $1 and domain_id = $2 and id = $3) as service`,
    [scope.clientId, scope.domainId, scope.serviceId ?? ""],
  );
  if (!row?.client) throw notFound(`Client "${scope.clientId}" not found`);
  if (!row.domain)
    throw notFound(`Domain "${scope.domainId}" not found in client "${scope.clientId}"`);
  if (scope.serviceId !== null && !row.service)
    throw notFound(`Service "${scope.serviceId}" not found in domain "${scope.domainId}"`);
}

export async function listAssignments(
  q: Query,
  scope: ScopeRef,
  options: { status: "active" | "archived" | "all"; limit: number; cursor?: string },
): Promise<{ items: AssignmentRow[]; next_cursor: string | null }> {
  const after = decodeCursor(options.cursor, ["string", "number"]);
  const rows = await q<AssignmentDbRow>(
    `select ${ASSIGNMENT_COLUMNS} from assignments a
     where a.client_id = $1 and a.domain_id = $2 and a.scope = $3
       and ($4 = 'all' or a.status = $4)
       and ($5::text is null or (a.assignment_key, -a.revision) > ($5, -$6::int))
     order by a.assignment_key, a.revision desc
     limit $7`,
    [
      scope.clientId,
      scope.domainId,
      scope.serviceId ?? "",
      options.status,
      after?.[0] ?? null,
      after?.[1] ?? 0,
      options.limit + 1,
    ],
  );
  if (rows.length === 0) await assertScopeExists(q, scope);
  const page = pageOf(rows, options.limit, (r) => [r.assignment_key, r.revision]);
  return { items: page.items.map(toAssignmentRow), next_cursor: page.next_cursor };
}

/** The domain's change cursor, read in the same statement as an answer (for the read caches). */
const DOMAIN_VERSION = `coalesce((select h.seq from domain_change_heads h where h.client_id = $1 and h.domain_id = $2), 0) as domain_version`;

export async function getActiveAssignment(
  q: Query,
  scope: ScopeRef,
  key: string,
): Promise<AssignmentRow> {
  return (await readActiveAssignment(q, scope, key)).row;
}

/** The active revision and the domain's change cursor it was read at. */
export async function readActiveAssignment(
  q: Query,
  scope: ScopeRef,
  key: string,
): Promise<{ row: AssignmentRow; version: number }> {
  const rows = await q<AssignmentDbRow & { domain_version: number | string }>(
    `select ${ASSIGNMENT_COLUMNS}, ${DOMAIN_VERSION} from assignments a
     where a.client_id = $1 and a.domain_id = $2 and a.scope = $3 and a.assignment_key = $4 and a.status = 'active'`,
    [scope.clientId, scope.domainId, scope.serviceId ?? "", key],
    "active_assignment_v2",
  );
  if (rows[0]) return { row: toAssignmentRow(rows[0]), version: Number(rows[0].domain_version) };
  await assertScopeExists(q, scope);
  const where =
    scope.serviceId === null ? `domain "${scope.domainId}"` : `service "${scope.serviceId}"`;
  throw notFound(
    `No active assignment "${key}" for ${where}; see .../assignments/${key}/revisions for its history`,
  );
}

export async function listRevisions(
  q: Query,
  scope: ScopeRef,
  key: string,
  options: { limit: number; cursor?: string },
): Promise<{ items: AssignmentRevisionRow[]; next_cursor: string | null }> {
  const after = decodeCursor(options.cursor, ["number"]);
  const rows = await q<RevisionDbRow>(
    `select ${ASSIGNMENT_COLUMNS}, ${SERVICE_CHANGES_COLUMN} from assignments a
     where a.client_id = $1 and a.domain_id = $2 and a.scope = $3 and a.assignment_key = $4
       and ($5::int is null or a.revision < $5)
     order by a.revision desc limit $6`,
    [
      scope.clientId,
      scope.domainId,
      scope.serviceId ?? "",
      key,
      after?.[0] ?? null,
      options.limit + 1,
    ],
  );
  if (rows.length === 0) {
    await assertScopeExists(q, scope);
    if (!after) {
      const where =
        scope.serviceId === null ? `domain "${scope.domainId}"` : `service "${scope.serviceId}"`;
      throw notFound(`Assignment key "${key}" has no revisions for ${where}`);
    }
  }
  const page = pageOf(rows, options.limit, (r) => [r.revision]);
  return { items: page.items.map(toRevisionRow), next_cursor: page.next_cursor };
}

export async function getAssignmentById(
  q: Query,
  actor: Actor,
  assignmentId: string,
): Promise<AssignmentRevisionRow> {
  const rows = await q<RevisionDbRow>(
    `select ${ASSIGNMENT_COLUMNS}, ${SERVICE_CHANGES_COLUMN} from assignments a where a.assignment_id = $1`,
    [assignmentId],
  );
  const row = rows[0];
  // A revision of a client the caller may not touch is reported as missing, so ids don't leak across tenants.
  if (!row || !canTouchClient(actor, row.client_id))
    throw notFound(`Assignment revision "${assignmentId}" not found`);
  return toRevisionRow(row);
}

export type EffectiveAssignment = AssignmentRow & { source: "service" | "domain_default" };

/** A service's key: what the effective read takes. */
export type ServiceKeyRef = ScopeRef & { serviceId: string; key: string };

/**
 * The service's own active assignment for the key, else the domain default; with `at`, the revisions that
 * were active at that time (a revision is active from created_at until it is archived).
 */
export async function getEffectiveAssignment(
  database: Database,
  ref: ServiceKeyRef,
  options: { at?: string } = {},
): Promise<EffectiveAssignment> {
  return (await readEffectiveAssignment(database, ref, options)).row;
}

/** getEffectiveAssignment and the domain's change cursor it was read at: one prepared statement. */
export async function readEffectiveAssignment(
  database: Database,
  ref: ServiceKeyRef,
  { at }: { at?: string } = {},
): Promise<{ row: EffectiveAssignment; version: number }> {
  const { key, ...scope } = ref;
  const q = database.query;
  const rows = await q<
    AssignmentDbRow & { source: "service" | "domain_default"; domain_version: number | string }
  >(
    `select ${ASSIGNMENT_COLUMNS}, case when a.scope = '' then 'domain_default' else 'service' end as source,
       ${DOMAIN_VERSION}
     from assignments a
     where a.client_id = $1 and a.domain_id = $2 and a.scope in ($3, '') and a.assignment_key = $4
       -- A departed service runs nothing now; its past is still answerable with ?at=.
       and exists(select 1 from services s where s.client_id = $1 and s.domain_id = $2 and s.id = $3
                  and (s.status = 'active' or $5::timestamptz is not null))
       and (case when $5::timestamptz is null then a.status = 'active'
            else a.created_at <= $5::timestamptz and (a.active_until is null or a.active_until > $5::timestamptz) end)
     order by (a.scope = '') asc
     limit 1`,
    [scope.clientId, scope.domainId, scope.serviceId, key, at ?? null],
    // Prepared once per connection: job launchers ask this in a loop.
    "effective_assignment_v2",
  );
  const row = rows[0];
  if (row)
    return {
      row: { ...toAssignmentRow(row), source: row.source },
      version: Number(row.domain_version),
    };
  await assertScopeExists(q, scope);
  if (!at) {
    const [svc] = await q<{ status: string }>(
      `select status from services where client_id = $1 and domain_id = $2 and id = $3`,
      [scope.clientId, scope.domainId, scope.serviceId],
    );
    if (svc?.status === "departed") {
      throw unprocessable(
        `Service "${scope.serviceId}" has departed domain "${scope.domainId}" and runs nothing; ask with ?at=<time> for what it ran before`,
      );
    }
  }
  throw notFound(
    `Service "${scope.serviceId}" has no effective assignment "${key}"${at ? ` at ${at}` : ""}: neither its own nor a domain default`,
  );
}

export function assertClient(actor: Actor, clientId: string): void {
  if (!canTouchClient(actor, clientId))
    throw forbidden(`This token or session may not access client "${clientId}"`);
}
