// The SQL that reads an assignment revision in the API's shape, and the mapping of its timestamps.
import { toIso } from "@/db/iso";
import type { AssignmentRow } from "@/lib/schemas/assignments";

/** Columns of `assignments` under their API names; `a` is the table alias. */
export const ASSIGNMENT_COLUMNS = `a.assignment_id, a.client_id, a.domain_id, nullif(a.scope, '') as service_id,
  a.assignment_key, a.revision, a.model_id, a.model_version, a.status, a.role, a.settings, a.metadata,
  a.created_by, a.change_reason, a.created_at, a.updated_at`;

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
