// The SQL that reads an assignment revision in the API's shape, and the mapping of its timestamps.
import "server-only";
import { toIso } from "@/db/iso";
import type {
  Assignment as AssignmentRow,
  AssignmentRevision as AssignmentRevisionRow,
} from "@/lib/schemas/assignments";

/** Columns of `assignments` under their API names; `a` is the table alias. */
export const ASSIGNMENT_COLUMNS = `a.assignment_id, a.client_id, a.domain_id, nullif(a.scope, '') as service_id,
  a.assignment_key, a.revision, a.model_id, a.model_version, a.status, a.role, a.settings, a.metadata,
  a.created_by, a.change_reason, a.created_at, a.updated_at, a.restored_from_revision`;

/**
 * The service patches written with revision `a` (their audit rows carry its assignment_id), as a JSON array of
 * { service_id, before, after } ordered by service id; an extra column for reads that show history.
 */
export const SERVICE_CHANGES_COLUMN = `coalesce((select json_agg(json_build_object(
    'service_id', substr(l.entity_id, length(a.client_id) + length(a.domain_id) + 3),
    'before', coalesce(l.before -> 'provided_features', '{}'::jsonb),
    'after', coalesce(l.after -> 'provided_features', '{}'::jsonb)) order by l.entity_id)
  from audit_log l where l.assignment_id = a.assignment_id and l.action = 'service.patch'), '[]'::json)
  as service_changes`;

export type AssignmentDbRow = Omit<AssignmentRow, "created_at" | "updated_at"> & {
  created_at: Date | string;
  updated_at: Date | string;
};

export function toAssignmentRow(row: AssignmentDbRow): AssignmentRow {
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

export type RevisionDbRow = AssignmentDbRow & Pick<AssignmentRevisionRow, "service_changes">;

export function toRevisionRow(row: RevisionDbRow): AssignmentRevisionRow {
  return { ...toAssignmentRow(row), service_changes: row.service_changes ?? [] };
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
