// Reads of a domain's services: the list (with feature and compatibility filters, and optionally each
// service's effective assignments) and one service.
import "server-only";
import { and, eq, gt, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { assignments, models, modelVersions, services } from "@/db/schema";
import type { Database, Db } from "@/db/types";
import type { z } from "zod";
import { assertScopeExists, type DomainRef } from "@/lib/server/assignments/read-assignments";
import { checkCompatibility, isCompatible } from "@/lib/features/check-compatibility";
import type { FeatureDefinition } from "@/lib/features/types";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import { badRequest, notFound, unprocessable } from "@/lib/shared/errors";
import type { paginationQuery } from "@/lib/schemas/common";
import type {
  Service,
  ServiceEffectiveEntry,
  ServiceListItem,
  ServiceListQuery,
} from "@/lib/schemas/services";
import { serviceFields, toServiceRow } from "./service-row";

/** The list's query: filters (see the schema), then the page. */
type ListServicesOptions = ServiceListQuery & z.infer<typeof paginationQuery>;

/** Splits `key=value` filters into, per key, the accepted values ("" meaning missing or null). */
function parseFeatureFilters(filters: readonly string[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const filter of filters) {
    const sign = filter.indexOf("=");
    if (sign <= 0)
      throw badRequest(
        `Invalid feature filter "${filter}": use key=value, or key= for a missing key`,
        [{ path: "feature", message: "use key=value" }],
      );
    const key = filter.slice(0, sign);
    const values = byKey.get(key) ?? [];
    values.push(filter.slice(sign + 1));
    byKey.set(key, values);
  }
  return byKey;
}

/** The conditions of the feature filters: ANDed across keys, ORed across one key's values. */
function featureConditions(filters: readonly string[]): SQL[] {
  const conditions: SQL[] = [];
  for (const [key, values] of parseFeatureFilters(filters)) {
    const feature = sql`${services.providedFeatures}->>${key}::text`;
    const given = [...new Set(values.filter((v) => v !== ""))];
    conditions.push(
      or(
        given.length > 0 ? inArray(feature, given) : undefined,
        values.includes("") ? isNull(feature) : undefined,
      )!,
    );
  }
  return conditions;
}

/** The frozen contract named by `<model_id>@<version>`; 422 when the registry has no such version. */
async function contractOf(
  database: Database,
  domain: DomainRef,
  modelAtVersion: string,
): Promise<readonly FeatureDefinition[]> {
  const at = modelAtVersion.lastIndexOf("@");
  const modelId = modelAtVersion.slice(0, at);
  const version = modelAtVersion.slice(at + 1);
  // No row: no such model; a row without features: the model lacks that version.
  const [row] = await database.db
    .select({ features: modelVersions.features })
    .from(models)
    .leftJoin(
      modelVersions,
      and(eq(modelVersions.modelId, models.id), eq(modelVersions.version, version)),
    )
    .where(eq(models.id, modelId));
  if (row?.features) return row.features;
  await assertScopeExists(database.run, { ...domain, serviceId: null });
  throw unprocessable(
    row
      ? `compatible_with names version "${version}" of model "${modelId}", which the registry does not have`
      : `compatible_with names model "${modelId}", which is not in the registry`,
  );
}

/** Per service of the page, its effective assignment per key: one query for the whole page. */
async function effectiveFor(
  db: Db,
  domain: DomainRef,
  serviceIds: string[],
): Promise<Map<string, Record<string, ServiceEffectiveEntry>>> {
  const out = new Map<string, Record<string, ServiceEffectiveEntry>>(
    serviceIds.map((id) => [id, {}]),
  );
  if (serviceIds.length === 0) return out;
  const rows = await db
    .select({
      scope: assignments.scope,
      assignment_key: assignments.assignmentKey,
      assignment_id: assignments.assignmentId,
      model_id: assignments.modelId,
      model_version: assignments.modelVersion,
      pinned_by: assignments.pinnedBy,
    })
    .from(assignments)
    .where(
      and(
        eq(assignments.clientId, domain.clientId),
        eq(assignments.domainId, domain.domainId),
        eq(assignments.status, "active"),
        or(eq(assignments.scope, ""), inArray(assignments.scope, serviceIds)),
      ),
    )
    .orderBy(assignments.assignmentKey);
  const ref = (
    r: (typeof rows)[number],
    source: ServiceEffectiveEntry["source"],
  ): ServiceEffectiveEntry => ({
    assignment_id: r.assignment_id,
    model_id: r.model_id,
    model_version: r.model_version,
    source,
    pinned_by: r.pinned_by,
  });
  for (const r of rows) {
    if (r.scope !== "") continue;
    for (const effective of out.values()) effective[r.assignment_key] = ref(r, "domain_default");
  }
  for (const r of rows) {
    const effective = r.scope === "" ? undefined : out.get(r.scope);
    if (effective) effective[r.assignment_key] = ref(r, "service");
  }
  // Keys in one order for every service, whichever scope set them.
  for (const [id, effective] of out)
    out.set(
      id,
      Object.fromEntries(
        Object.entries(effective).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      ),
    );
  return out;
}

export async function listServices(
  database: Database,
  domain: DomainRef,
  options: ListServicesOptions,
): Promise<{ items: ServiceListItem[]; next_cursor: string | null }> {
  const after = decodeCursor(options.cursor, ["string"]) as [string] | null;
  if (options.compatible !== undefined && !options.compatible_with) {
    const message =
      "compatible=true|false filters by compatibility with a model version: also pass compatible_with=<model_id>@<version>";
    throw badRequest(`Invalid query parameter: ${message}`, [{ path: "compatible", message }]);
  }
  const contract = options.compatible_with
    ? await contractOf(database, domain, options.compatible_with)
    : null;
  const search = options.q ? `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  // Filtering by compatibility happens in JS: the domain's matching services in one query, then paged by id.
  const filterInJs = contract !== null && options.compatible !== undefined;
  const matching = database.db
    .select(serviceFields)
    .from(services)
    .where(
      and(
        eq(services.clientId, domain.clientId),
        eq(services.domainId, domain.domainId),
        options.status === "all" ? undefined : eq(services.status, options.status),
        search === null ? undefined : or(ilike(services.id, search), ilike(services.name, search)),
        after ? gt(services.id, after[0]) : undefined,
        ...featureConditions(options.feature),
      ),
    )
    .orderBy(services.id);
  const rows = filterInJs ? await matching : await matching.limit(options.limit + 1);
  if (rows.length === 0) await assertScopeExists(database.run, { ...domain, serviceId: null });
  let candidates = rows;
  if (filterInJs) {
    const wanted = options.compatible!;
    candidates = [];
    for (const row of rows) {
      if (isCompatible(row.provided_features, contract) === wanted) {
        candidates.push(row);
        if (candidates.length > options.limit) break;
      }
    }
  }
  const page = pageOf(candidates, options.limit, (r) => [r.service_id]);
  const items: ServiceListItem[] = page.items.map(toServiceRow);
  if (contract) {
    for (const item of items) {
      const { compatible, missing, invalid } = checkCompatibility(
        item.service_id,
        item.provided_features,
        contract,
      );
      item.compatibility = { compatible, missing, invalid };
    }
  }
  if (options.include === "effective") {
    // A departed service runs nothing (as GET …/effective says): its map stays empty.
    const effective = await effectiveFor(
      database.db,
      domain,
      items.filter((i) => i.status !== "departed").map((i) => i.service_id),
    );
    for (const item of items) item.effective = effective.get(item.service_id) ?? {};
  }
  return { items, next_cursor: page.next_cursor };
}

export async function getService(
  database: Database,
  ref: DomainRef & { serviceId: string },
): Promise<Service> {
  const [row] = await database.db
    .select(serviceFields)
    .from(services)
    .where(
      and(
        eq(services.clientId, ref.clientId),
        eq(services.domainId, ref.domainId),
        eq(services.id, ref.serviceId),
      ),
    );
  if (row) return toServiceRow(row);
  await assertScopeExists(database.run, { ...ref, serviceId: null });
  throw notFound(`Service "${ref.serviceId}" not found in domain "${ref.domainId}"`);
}
