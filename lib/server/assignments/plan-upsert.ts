// Everything an upsert decides before it writes: existence checks, patches, compatibility and whether it
// would change anything. Shared by the PUT/POST upserts, dry runs and the domain preview.
import "server-only";
import type { Query } from "@/db/types";
import { checkCompatibility } from "@/lib/features/check-compatibility";
import { jsonEqual } from "@/lib/features/json-equal";
import { mergeFeatures } from "@/lib/features/merge-features";
import type {
  CompatibilityResult,
  FeatureDefinition,
  Features,
  InvalidFeature,
} from "@/lib/features/types";
import { badRequest, notFound, unprocessable } from "@/lib/shared/errors";
import { ASSIGNMENT_COLUMNS, type AssignmentDbRow } from "./assignment-row";
import { loadEffectiveEntries, slotsFor } from "./effective-contracts";

export type AssignmentScope = {
  clientId: string;
  domainId: string;
  serviceId: string | null;
  key: string;
};

export type UpsertRequest = {
  model_id: string;
  model_version: string;
  status: "active" | "archived";
  role?: string | null;
  settings: Record<string, unknown>;
  metadata: Record<string, unknown>;
  service_updates?: { service_id: string; static_features: Record<string, unknown> }[];
  restored_from_revision?: number;
};

export type BlockingService = { service_id: string; missing: string[]; invalid: InvalidFeature[] };

export type EffectiveRef = {
  assignment_id: string | null;
  source: "service" | "domain_default";
  model_id: string;
  model_version: string;
} | null;

export type PlannedChange = {
  service_id: string;
  from: EffectiveRef;
  to: EffectiveRef;
  compatible: boolean;
  missing: string[];
  invalid: InvalidFeature[];
};

export type ServicePatch = { id: string; before: Features; after: Features };

export type UpsertPlan = {
  active: AssignmentDbRow | null;
  latest: AssignmentDbRow | null;
  blocking: BlockingService[];
  patches: ServicePatch[];
  changes: PlannedChange[];
  /** Same content as the active revision and no patch changes a value: a PUT writes nothing. */
  unchanged: boolean;
};

type ContextRow = {
  client_exists: boolean;
  domain_status: "active" | "inactive" | null;
  service: { status: "active" | "departed"; features: Features } | null;
  named: { id: string; status: "active" | "departed"; features: Features }[] | null;
  model_exists: boolean;
  contract: FeatureDefinition[] | null;
  active: AssignmentDbRow | null;
  latest: AssignmentDbRow | null;
};

const CONTEXT_SQL = `select
  exists(select 1 from clients where id = $1) as client_exists,
  (select status from domains where client_id = $1 and id = $2) as domain_status,
  (select json_build_object('status', status, 'features', provided_features) from services
     where client_id = $1 and domain_id = $2 and id = $3) as service,
  (select json_agg(json_build_object('id', id, 'status', status, 'features', provided_features)) from services
     where client_id = $1 and domain_id = $2 and id = any($7::text[])) as named,
  exists(select 1 from models where id = $5) as model_exists,
  (select features from model_versions where model_id = $5 and version = $6) as contract,
  (select row_to_json(x) from (select ${ASSIGNMENT_COLUMNS} from assignments a
     where a.client_id = $1 and a.domain_id = $2 and a.scope = $3 and a.assignment_key = $4 and a.status = 'active') x) as active,
  (select row_to_json(x) from (select ${ASSIGNMENT_COLUMNS} from assignments a
     where a.client_id = $1 and a.domain_id = $2 and a.scope = $3 and a.assignment_key = $4
     order by a.revision desc limit 1) x) as latest`;

// Non-departed services of the domain, and whether each has its own active assignment for the key
// (then the domain default does not apply to it).
const DOMAIN_SERVICES_SQL = `select s.id, s.provided_features as features, (o.assignment_id is not null) as overridden
  from services s
  left join assignments o on o.client_id = s.client_id and o.domain_id = s.domain_id and o.scope = s.id
    and o.assignment_key = $3 and o.status = 'active'
  where s.client_id = $1 and s.domain_id = $2 and s.status = 'active'
  order by s.id`;

export function mergeResults(
  serviceId: string,
  results: CompatibilityResult[],
): BlockingService | null {
  const missing = new Set<string>();
  const invalid = new Map<string, InvalidFeature>();
  for (const r of results) {
    if (r.compatible) continue;
    for (const m of r.missing) missing.add(m);
    for (const i of r.invalid) if (!invalid.has(i.key)) invalid.set(i.key, i);
  }
  if (missing.size === 0 && invalid.size === 0) return null;
  return { service_id: serviceId, missing: [...missing], invalid: [...invalid.values()] };
}

/** The one read an upsert starts from: client, domain, service, patched services, model, contract, revisions. */
export function contextStatement(
  scope: AssignmentScope,
  body: UpsertRequest,
): { text: string; params: unknown[] } {
  const namedIds = (body.service_updates ?? []).map((u) => u.service_id);
  return {
    text: CONTEXT_SQL,
    params: [
      scope.clientId,
      scope.domainId,
      scope.serviceId ?? "",
      scope.key,
      body.model_id,
      body.model_version,
      namedIds,
    ],
  };
}

export type UpsertContext = ContextRow;

/**
 * Decides the upsert. `prefetched` is the context statement's row when the caller already read it (in the same
 * round trip as BEGIN); otherwise it is read here.
 */
export async function planUpsert(
  q: Query,
  scope: AssignmentScope,
  body: UpsertRequest,
  prefetched?: UpsertContext,
): Promise<UpsertPlan> {
  const { clientId, domainId, serviceId, key } = scope;
  const updates = body.service_updates ?? [];
  const namedIds = updates.map((u) => u.service_id);
  if (new Set(namedIds).size !== namedIds.length) {
    const dup = namedIds.find((id, i) => namedIds.indexOf(id) !== i);
    throw badRequest(
      `service_updates names service "${dup}" more than once; merge its static_features into one entry`,
    );
  }

  let ctx = prefetched;
  if (!ctx) {
    const statement = contextStatement(scope, body);
    [ctx] = await q<ContextRow>(statement.text, statement.params);
  }
  if (!ctx) throw new Error("context query returned no row");
  if (!ctx.client_exists) throw notFound(`Client "${clientId}" not found`);
  if (ctx.domain_status === null)
    throw notFound(`Domain "${domainId}" not found in client "${clientId}"`);
  if (serviceId !== null && ctx.service === null)
    throw notFound(`Service "${serviceId}" not found in domain "${domainId}"`);
  if (ctx.domain_status !== "active")
    throw unprocessable(
      `Domain "${domainId}" is not active: activate it before changing its assignments`,
      {},
      "domain_inactive",
    );
  if (serviceId !== null && ctx.service?.status === "departed")
    throw unprocessable(
      `Service "${serviceId}" has departed domain "${domainId}" and can't receive assignments`,
      {},
      "service_departed",
    );

  const named = new Map((ctx.named ?? []).map((s) => [s.id, s]));
  for (const id of namedIds) {
    const found = named.get(id);
    if (!found)
      throw notFound(`service_updates names service "${id}", which is not in domain "${domainId}"`);
    if (found.status === "departed")
      throw unprocessable(
        `service_updates names service "${id}", which has departed domain "${domainId}" and can't be patched`,
        {},
        "service_departed",
      );
    if (serviceId !== null && id !== serviceId)
      throw badRequest(
        `service_updates on the route of service "${serviceId}" may only patch "${serviceId}" itself; patch "${id}" through the domain default route (PUT /v2/clients/${clientId}/domains/${domainId}/assignments/${key}) or PATCH that service`,
      );
  }

  const restoredFrom = body.restored_from_revision;
  if (restoredFrom !== undefined) {
    if (body.status !== "active")
      throw badRequest(
        `restored_from_revision marks a restore, which makes an active revision; drop it when retiring the key (status "archived")`,
        [{ path: "restored_from_revision", message: 'only with status "active"' }],
      );
    // Revisions of a key are numbered 1, 2, 3… and never deleted; the database's foreign key checks it too.
    const newest = ctx.latest?.revision ?? 0;
    if (restoredFrom > newest)
      throw unprocessable(
        newest === 0
          ? `restored_from_revision ${restoredFrom} names no revision: key "${key}" has none yet`
          : `restored_from_revision ${restoredFrom} names no revision of key "${key}": its revisions are 1 to ${newest}`,
      );
  }

  if (!ctx.model_exists)
    throw unprocessable(
      `Model "${body.model_id}" is not in the registry; register it first`,
      {},
      "model_not_registered",
    );
  if (ctx.contract === null)
    throw unprocessable(
      `Model "${body.model_id}" has no version "${body.model_version}" in the registry; register the version or pick an existing one`,
      {},
      "version_not_registered",
    );
  const contract = ctx.contract;

  const patches: ServicePatch[] = [];
  const patchedFeatures = new Map<string, Features>();
  for (const update of updates) {
    const before = named.get(update.service_id)!.features ?? {};
    const merged = mergeFeatures(before, update.static_features);
    patchedFeatures.set(update.service_id, merged.features);
    if (merged.changed) patches.push({ id: update.service_id, before, after: merged.features });
  }

  const activating = body.status === "active";
  const blocking: BlockingService[] = [];
  const changes: PlannedChange[] = [];

  // Patched services must stay compatible with every assignment effective for them after this change,
  // on every key; so must a service whose override is retired and falls back to the domain default.
  const needsEntries = patchedFeatures.size > 0 || (serviceId !== null && !activating);
  const entries = needsEntries
    ? await loadEffectiveEntries(
        q,
        clientId,
        domainId,
        serviceId !== null ? [serviceId] : [...patchedFeatures.keys()],
      )
    : [];

  const contractsAfterChange = (svc: string, applies: boolean): FeatureDefinition[][] => {
    const byKey = slotsFor(entries, svc);
    const contracts: FeatureDefinition[][] = [];
    for (const [k, slot] of byKey) {
      if (k === key && (serviceId !== null || applies)) {
        // This key is the one being changed: the target replaces it (or, when retiring a service
        // override, the domain default takes over).
        if (serviceId !== null && !activating && slot.dflt) contracts.push(slot.dflt.features);
        continue;
      }
      const effective = slot.own ?? slot.dflt;
      if (effective) contracts.push(effective.features);
    }
    if (activating && (serviceId !== null || applies)) contracts.push(contract);
    return contracts;
  };

  if (serviceId !== null) {
    const features = patchedFeatures.get(serviceId) ?? ctx.service!.features ?? {};
    const contracts = needsEntries
      ? contractsAfterChange(serviceId, true)
      : activating
        ? [contract]
        : [];
    const merged = mergeResults(
      serviceId,
      contracts.map((c) => checkCompatibility(serviceId, features, c)),
    );
    if (merged) blocking.push(merged);
  } else {
    const services = await q<{ id: string; features: Features; overridden: boolean }>(
      DOMAIN_SERVICES_SQL,
      [clientId, domainId, key],
    );
    const from: EffectiveRef = ctx.active
      ? {
          assignment_id: ctx.active.assignment_id,
          source: "domain_default",
          model_id: ctx.active.model_id,
          model_version: ctx.active.model_version,
        }
      : null;
    const to: EffectiveRef = activating
      ? {
          assignment_id: null,
          source: "domain_default",
          model_id: body.model_id,
          model_version: body.model_version,
        }
      : null;
    for (const svc of services) {
      const features = patchedFeatures.get(svc.id) ?? svc.features ?? {};
      const applies = !svc.overridden;
      // One check against the target per service the default applies to; it feeds both the blocking list and the preview.
      const own = applies && activating ? checkCompatibility(svc.id, features, contract) : null;
      const result = patchedFeatures.has(svc.id)
        ? mergeResults(
            svc.id,
            contractsAfterChange(svc.id, applies).map((c) =>
              checkCompatibility(svc.id, features, c),
            ),
          )
        : own && mergeResults(svc.id, [own]);
      if (result) blocking.push(result);
      if (applies) {
        changes.push({
          service_id: svc.id,
          from,
          to,
          compatible: own ? own.compatible : true,
          missing: own?.missing ?? [],
          invalid: own?.invalid ?? [],
        });
      }
    }
  }

  const active = ctx.active;
  const unchanged =
    patches.length === 0 &&
    (active
      ? activating &&
        active.model_id === body.model_id &&
        active.model_version === body.model_version &&
        (active.role ?? null) === (body.role ?? null) &&
        jsonEqual(active.settings ?? {}, body.settings) &&
        jsonEqual(active.metadata ?? {}, body.metadata)
      : !activating &&
        ctx.latest !== null &&
        ctx.latest.model_id === body.model_id &&
        ctx.latest.model_version === body.model_version &&
        (ctx.latest.role ?? null) === (body.role ?? null) &&
        jsonEqual(ctx.latest.settings ?? {}, body.settings) &&
        jsonEqual(ctx.latest.metadata ?? {}, body.metadata));

  return { active, latest: ctx.latest, blocking, patches, changes, unchanged };
}

export function blockingMessage(
  blocking: BlockingService[],
  modelId: string,
  version: string,
): string {
  const shown = blocking.slice(0, 5).map((b) => {
    const parts = [
      ...(b.missing.length ? [`missing ${b.missing.join(", ")}`] : []),
      ...b.invalid.map((i) => `${i.key} should be ${i.expected}, got ${i.got}`),
    ];
    return `${b.service_id} (${parts.join("; ")})`;
  });
  const more = blocking.length > 5 ? ` and ${blocking.length - 5} more` : "";
  const noun = blocking.length === 1 ? "service is" : "services are";
  return (
    `Feature contract mismatch: ${blocking.length} ${noun} not compatible with ${modelId} ${version}: ${shown.join(", ")}${more}. ` +
    `Provide the features with service_updates (or PATCH the services) and retry; blocking_services lists them all.`
  );
}
