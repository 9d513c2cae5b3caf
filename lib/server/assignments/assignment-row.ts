// An assignment revision in the API's shape: the columns read (as a Drizzle selection for the query builder, and
// as SQL text for the hot paths' raw statements), and the one mapper from a read row to the wire row.
import "server-only";
import { sql } from "drizzle-orm";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { toIso } from "@/db/iso";
import { assignments, auditLog } from "@/db/schema";
import type { Assignment, AssignmentRevision, ServiceChange } from "@/lib/schemas/assignments";

/** The columns of `assignments` under their API names, for the query builder. */
export const assignmentFields = {
  assignment_id: assignments.assignmentId,
  client_id: assignments.clientId,
  domain_id: assignments.domainId,
  service_id: sql<string | null>`nullif(${assignments.scope}, '')`,
  assignment_key: assignments.assignmentKey,
  revision: assignments.revision,
  model_id: assignments.modelId,
  model_version: assignments.modelVersion,
  status: assignments.status,
  role: assignments.role,
  settings: assignments.settings,
  metadata: assignments.metadata,
  created_by: assignments.createdBy,
  change_reason: assignments.changeReason,
  created_at: assignments.createdAt,
  updated_at: assignments.updatedAt,
  restored_from_revision: assignments.restoredFromRevision,
};

/** The same columns as SQL text, for the raw statements of the hot paths; `a` is the table alias. */
export const ASSIGNMENT_COLUMNS = `a.assignment_id, a.client_id, a.domain_id, nullif(a.scope, '') as service_id,
  a.assignment_key, a.revision, a.model_id, a.model_version, a.status, a.role, a.settings, a.metadata,
  a.created_by, a.change_reason, a.created_at, a.updated_at, a.restored_from_revision`;

/**
 * A row of those columns. Timestamps are Dates from either driver, but strings in rows built as JSON
 * (`row_to_json`), which some hot statements return.
 */
export type AssignmentDbRow = Omit<
  SelectResultFields<typeof assignmentFields>,
  "created_at" | "updated_at"
> & {
  created_at: Date | string;
  updated_at: Date | string;
};

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
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    restored_from_revision: row.restored_from_revision ?? null,
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

/** What a revision read shows beyond the assignment: its service patches, its change request, a bypass. */
export const revisionFields = {
  service_changes: serviceChangesField,
  change_request_id: assignments.changeRequestId,
  approval_bypass: assignments.approvalBypass,
};

export function toRevisionRow(
  row: AssignmentDbRow & {
    service_changes: ServiceChange[];
    change_request_id: string | null;
    approval_bypass: string | null;
  },
): AssignmentRevision {
  return {
    ...toAssignmentRow(row),
    service_changes: row.service_changes,
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
