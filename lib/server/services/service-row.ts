// A service in the API's shape: the columns read (a Drizzle selection, for reads and for the writes' RETURNING),
// and the one mapper from such a row to the wire row.
import "server-only";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { toIso } from "@/db/iso";
import { services } from "@/db/schema";
import type { Service } from "@/lib/schemas/services";

/** The columns of `services` under their API names, for the query builder. */
export const serviceFields = {
  client_id: services.clientId,
  domain_id: services.domainId,
  service_id: services.id,
  name: services.name,
  provided_features: services.providedFeatures,
  status: services.status,
  created_at: services.createdAt,
  updated_at: services.updatedAt,
};

/** A row of those columns, typed from the schema. */
type ServiceDbRow = SelectResultFields<typeof serviceFields>;

// Field by field: callers pass rows selected with extra columns (the writes return their audit JSON too),
// which must not leak into the response.
export function toServiceRow(row: ServiceDbRow): Service {
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
