// An assignment revision in the API's shape: the columns read, defined once from the schema (as a selection for the
// query builder, and as a select list for the hot paths' statements), and the one mapper from a read row to the
// wire row.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { alias } from "drizzle-orm/pg-core";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { assignments, auditLog } from "@/db/schema";
import type {
  Assignment,
  AssignmentRevision,
  PinnedService,
  ServiceChange,
} from "@/lib/schemas/assignments";

/**
 * A timestamp as the API writes it (ISO 8601, UTC, milliseconds), made by the database: the same text whether the
 * row is read as columns or built as JSON, so a row has one type. `MS` truncates as JavaScript's Date does.
 */
export function isoTimestamp(column: PgColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The table under the alias `a`, as the hot statements name it (`${a.status}` renders `"a"."status"`). */
export const a = alias(assignments, "a");

/** `assignments` aliased, for FROM, JOIN and UPDATE (an alias alone renders as its name only). */
export function aliased(
  t: typeof assignments | typeof a | ReturnType<typeof alias<typeof assignments, string>>,
): SQL {
  return sql`${assignments} ${t}`;
}

/** The columns of an assignments table (or an alias of it) under their API names. */
export function assignmentColumns(t: typeof assignments | typeof a) {
  return {
    assignment_id: t.assignmentId,
    client_id: t.clientId,
    domain_id: t.domainId,
    service_id: sql<string | null>`nullif(${t.scope}, '')`,
    assignment_key: t.assignmentKey,
    revision: t.revision,
    model_id: t.modelId,
    model_version: t.modelVersion,
    status: t.status,
    role: t.role,
    settings: t.settings,
    metadata: t.metadata,
    created_by: t.createdBy,
    change_reason: t.changeReason,
    created_at: isoTimestamp(t.createdAt),
    updated_at: isoTimestamp(t.updatedAt),
    restored_from_revision: t.restoredFromRevision,
    pinned_by: t.pinnedBy,
  };
}

/** The columns of `assignments` under their API names, for the query builder. */
export const assignmentFields = assignmentColumns(assignments);

/** The same columns as a select (or RETURNING) list, for statements written as SQL; `t` defaults to alias `a`. */
export function assignmentSelectList(t: typeof assignments | typeof a = a): SQL {
  return sql.join(
    Object.entries(assignmentColumns(t)).map(
      ([name, column]) => sql`${column} as ${sql.identifier(name)}`,
    ),
    sql`, `,
  );
}

/** A row of those columns: the same type from the query builder, a statement or a JSON-built row. */
export type AssignmentDbRow = SelectResultFields<typeof assignmentFields>;

export function toAssignmentRow(row: AssignmentDbRow): Assignment {
  return {
    assignment_id: row.assignment_id,
    client_id: row.client_id,
    domain_id: row.domain_id,
    service_id: row.service_id ?? null,
    assignment_key: row.assignment_key,
    revision: row.revision,
    model_id: row.model_id,
    model_version: row.model_version,
    status: row.status,
    role: row.role ?? null,
    settings: row.settings ?? {},
    metadata: row.metadata ?? {},
    created_by: row.created_by,
    change_reason: row.change_reason ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    restored_from_revision: row.restored_from_revision ?? null,
    pinned_by: row.pinned_by ?? null,
  };
}

// Drizzle writes the columns of a single-table select's fields without their table name, except inside a nested
// SQL: this correlated subquery is one, as audit_log and assignments share column names.
const serviceChanges = sql`coalesce((select json_agg(json_build_object(
    'service_id', substr(${auditLog.entityId}, length(${assignments.clientId}) + length(${assignments.domainId}) + 3),
    'before', coalesce(${auditLog.before} -> 'provided_features', '{}'::jsonb),
    'after', coalesce(${auditLog.after} -> 'provided_features', '{}'::jsonb)) order by ${auditLog.entityId})
  from ${auditLog} where ${auditLog.assignmentId} = ${assignments.assignmentId} and ${auditLog.action} = 'service.patch'), '[]'::json)`;

/**
 * The service patches written with the selected revision (their audit rows carry its assignment_id), as a JSON
 * array of { service_id, before, after } ordered by service id; the extra column of reads that show history.
 */
export const serviceChangesField = sql<ServiceChange[]>`${serviceChanges}`;

// The services the selected revision's write pinned: their assignments carry its id in pinned_by (indexed).
const pinnedServices = sql`coalesce((select json_agg(json_build_object(
    'service_id', p.scope, 'assignment_id', p.assignment_id, 'model_id', p.model_id,
    'model_version', p.model_version) order by p.scope)
  from ${assignments} p where p.pinned_by = ${assignments.assignmentId}), '[]'::json)`;

/** The services pinned with the selected revision (pin_services), ordered by service id; reads that show history. */
export const pinnedServicesField = sql<PinnedService[]>`${pinnedServices}`;

/** What a revision read shows beyond the assignment: its service patches and pins, its change request, a bypass. */
export const revisionFields = {
  service_changes: serviceChangesField,
  pinned_services: pinnedServicesField,
  change_request_id: assignments.changeRequestId,
  approval_bypass: assignments.approvalBypass,
};

export function toRevisionRow(
  row: AssignmentDbRow & {
    service_changes: ServiceChange[];
    pinned_services: PinnedService[];
    change_request_id: string | null;
    approval_bypass: string | null;
  },
): AssignmentRevision {
  return {
    ...toAssignmentRow(row),
    service_changes: row.service_changes,
    pinned_services: row.pinned_services,
    change_request_id: row.change_request_id ?? null,
    approval_bypass: row.approval_bypass ?? null,
  };
}

export function assignmentPath(
  clientId: string,
  domainId: string,
  serviceId: string | null,
  key: string,
): string {
  const scope = serviceId === null ? "" : `/service/${serviceId}`;
  return `/v2/clients/${clientId}/domains/${domainId}${scope}/assignments/${key}`;
}
