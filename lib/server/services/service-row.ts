// A service in the API's shape: the columns read (as a Drizzle selection for the query builder, and as SQL text
// for the raw statements of the writes), and the one mapper from a read row to the wire row.
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

/** The same columns as SQL text, for raw statements; `s` is the table alias. */
export const SERVICE_COLUMNS = `s.client_id, s.domain_id, s.id as service_id, s.name, s.provided_features, s.status, s.created_at, s.updated_at`;

/** A row of those columns (timestamps may be strings in rows built as JSON). */
export type ServiceDbRow = Omit<
  SelectResultFields<typeof serviceFields>,
  "created_at" | "updated_at"
> & {
  created_at: Date | string;
  updated_at: Date | string;
};

// Field by field: callers pass rows selected with extra columns (the PATCH reads the domain's status too),
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
