import "server-only";
import { toIso } from "@/db/iso";
import type { Service as ServiceRow } from "@/lib/schemas/services";

export const SERVICE_COLUMNS = `s.client_id, s.domain_id, s.id as service_id, s.name, s.provided_features, s.status, s.created_at, s.updated_at`;

export type ServiceDbRow = Omit<ServiceRow, "created_at" | "updated_at"> & {
  created_at: Date | string;
  updated_at: Date | string;
};

// Field by field: callers pass rows selected with extra columns (the PATCH reads the domain's status too),
// which must not leak into the response.
export function toServiceRow(row: ServiceDbRow): ServiceRow {
  return {
    client_id: row.client_id,
    domain_id: row.domain_id,
    service_id: row.service_id,
    name: row.name,
    provided_features: row.provided_features ?? {},
    status: row.status,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}
