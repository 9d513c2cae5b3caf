// Reads of a domain's services: the list (with feature and compatibility filters, and optionally each
// service's effective assignments) and one service.
import "server-only";
import type { Query } from "@/db/types";
import { assertScopeExists } from "@/lib/server/assignments/read-assignments";
import { checkCompatibility, isCompatible } from "@/lib/features/check-compatibility";
import type { FeatureDefinition } from "@/lib/features/types";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import { badRequest, notFound, unprocessable } from "@/lib/shared/errors";
import type { ServiceListItem, Service as ServiceRow } from "@/lib/schemas/services";
import { SERVICE_COLUMNS, toServiceRow, type ServiceDbRow } from "./service-row";

export type ListServicesOptions = {
  status: "active" | "departed" | "all";
  q?: string;
  limit: number;
  cursor?: string;
  /** `key=value` (provided_features[key] as text equals value) or `key=` (missing or null). */
  feature?: string[];
  /** "effective": add each service's effective assignment per key. */
  include?: "effective";
  /** `<model_id>@<version>`: add each service's compatibility with that version's contract. */
  compatible_with?: string;
  /** With compatible_with: keep only the services that are (or are not) compatible. */
  compatible?: boolean;
};

type EffectiveRef = NonNullable<ServiceListItem["effective"]>[string];

/** Splits `key=value` filters into, per key, the accepted values ("" meaning missing or null). */
function parseFeatureFilters(filters: readonly string[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const filter of filters) {
    const eq = filter.indexOf("=");
    if (eq <= 0)
      throw badRequest(
        `Invalid feature filter "${filter}": use key=value, or key= for a missing key`,
        [{ path: "feature", message: "use key=value" }],
      );
    const key = filter.slice(0, eq);
    const values = byKey.get(key) ?? [];
    values.push(filter.slice(eq + 1));
    byKey.set(key, values);
  }
  return byKey;
}

/** SQL conditions (ANDed across keys, ORed across one key's values), pushing their parameters onto params. */
function featureConditions(filters: readonly string[], params: unknown[]): string {
  const parts: string[] = [];
  for (const [key, values] of parseFeatureFilters(filters)) {
    params.push(key);
    const k = `$${params.length}`;
    const alternatives: string[] = [];
    const given = [...new Set(values.filter((v) => v !== ""))];
    if (given.length > 0) {
      params.push(given);
      alternatives.push(`s.provided_features->>${k} = any($${params.length}::text[])`);
    }
    if (values.includes("")) alternatives.push(`s.provided_features->>${k} is null`);
    parts.push(`and (${alternatives.join(" or ")})`);
  }
  return parts.join("\n       ");
}

/** The frozen contract named by `<model_id>@<version>`; 422 when the registry has no such version. */
async function contractOf(
  q: Query,
  clientId: string,
  domainId: string,
  modelAtVersion: string,
): Promise<readonly FeatureDefinition[]> {
  const at = modelAtVersion.lastIndexOf("@");
  const modelId = modelAtVersion.slice(0, at);
  const version = modelAtVersion.slice(at + 1);
  const [row] = await q<{ features: FeatureDefinition[] | null; model_exists: boolean }>(
    `select (select v.features from model_versions v where v.model_id = $1 and v.version = $2) as features,
       exists(select 1 from models m where m.id = $1) as model_exists`,
    [modelId, version],
  );
  if (row?.features) return row.features;
  await assertScopeExists(q, { clientId, domainId, serviceId: null });
  throw unprocessable(
    row?.model_exists
      ? `compatible_with names version "${version}" of model "${modelId}", which the registry does not have`
      : `compatible_with names model "${modelId}", which is not in the registry`,
  );
}

/** Per service of the page, its effective assignment per key: one query for the whole page. */
async function effectiveFor(
  q: Query,
  clientId: string,
  domainId: string,
  serviceIds: string[],
): Promise<Map<string, Record<string, EffectiveRef>>> {
  const out = new Map<string, Record<string, EffectiveRef>>(serviceIds.map((id) => [id, {}]));
  if (serviceIds.length === 0) return out;
  const rows = await q<{
    scope: string;
    assignment_key: string;
    assignment_id: string;
    model_id: string;
    model_version: string;
  }>(
    `select a.scope, a.assignment_key, a.assignment_id, a.model_id, a.model_version from assignments a
     where a.client_id = $1 and a.domain_id = $2 and a.status = 'active' and (a.scope = '' or a.scope = any($3::text[]))
     order by a.assignment_key`,
    [clientId, domainId, serviceIds],
  );
  const ref = (r: (typeof rows)[number], source: EffectiveRef["source"]): EffectiveRef => ({
    assignment_id: r.assignment_id,
    model_id: r.model_id,
    model_version: r.model_version,
    source,
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
  q: Query,
  clientId: string,
  domainId: string,
  options: ListServicesOptions,
): Promise<{ items: ServiceListItem[]; next_cursor: string | null }> {
  const after = decodeCursor(options.cursor, ["string"]);
  if (options.compatible !== undefined && !options.compatible_with) {
    const message =
      "compatible=true|false filters by compatibility with a model version: also pass compatible_with=<model_id>@<version>";
    throw badRequest(`Invalid query parameter: ${message}`, [{ path: "compatible", message }]);
  }
  const contract = options.compatible_with
    ? await contractOf(q, clientId, domainId, options.compatible_with)
    : null;
  const search = options.q ? `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const params: unknown[] = [clientId, domainId, options.status, search, after?.[0] ?? null];
  const features = featureConditions(options.feature ?? [], params);
  // Filtering by compatibility happens in JS: the domain's matching services in one query, then paged by id.
  const filterInJs = contract !== null && options.compatible !== undefined;
  if (!filterInJs) params.push(options.limit + 1);
  const rows = await q<ServiceDbRow>(
    `select ${SERVICE_COLUMNS} from services s
     where s.client_id = $1 and s.domain_id = $2
       and ($3 = 'all' or s.status = $3)
       and ($4::text is null or s.id ilike $4 or s.name ilike $4)
       and ($5::text is null or s.id > $5)
       ${features}
     order by s.id${filterInJs ? "" : ` limit $${params.length}`}`,
    params,
  );
  if (rows.length === 0) await assertScopeExists(q, { clientId, domainId, serviceId: null });
  let candidates = rows;
  if (filterInJs) {
    const wanted = options.compatible!;
    candidates = [];
    for (const row of rows) {
      if (isCompatible(row.provided_features ?? {}, contract) === wanted) {
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
      q,
      clientId,
      domainId,
      items.filter((i) => i.status !== "departed").map((i) => i.service_id),
    );
    for (const item of items) item.effective = effective.get(item.service_id) ?? {};
  }
  return { items, next_cursor: page.next_cursor };
}

export async function getService(
  q: Query,
  clientId: string,
  domainId: string,
  serviceId: string,
): Promise<ServiceRow> {
  const rows = await q<ServiceDbRow>(
    `select ${SERVICE_COLUMNS} from services s where s.client_id = $1 and s.domain_id = $2 and s.id = $3`,
    [clientId, domainId, serviceId],
  );
  if (rows[0]) return toServiceRow(rows[0]);
  await assertScopeExists(q, { clientId, domainId, serviceId: null });
  throw notFound(`Service "${serviceId}" not found in domain "${domainId}"`);
}
