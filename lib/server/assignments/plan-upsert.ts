// Everything an upsert decides before it writes: existence checks, patches, compatibility and whether it
// would change anything. Shared by the PUT/POST upserts, dry runs and the domain preview.
import "server-only";
import type { z } from "zod";
import type { Database, Query, Statement } from "@/db/types";
import { blockingEntry } from "@/lib/features/blocking-services";
import { checkCompatibility } from "@/lib/features/check-compatibility";
import { jsonEqual } from "@/lib/features/json-equal";
import { mergeFeatures } from "@/lib/features/merge-features";
import type { FeatureDefinition, Features } from "@/lib/features/types";
import type { assignmentPutBody, Preview } from "@/lib/schemas/assignments";
import type { BlockingService } from "@/lib/schemas/features";
import { badRequest, notFound, unprocessable } from "@/lib/shared/errors";
import { ASSIGNMENT_COLUMNS, type AssignmentDbRow } from "./assignment-row";
import { loadEffectiveEntries, slotsFor } from "./effective-contracts";

export type AssignmentScope = {
  clientId: string;
  domainId: string;
  serviceId: string | null;
  key: string;
};

/** The upsert's body as the route parsed it (defaults applied); the key comes from the path or the POST body. */
type UpsertRequest = Omit<z.infer<typeof assignmentPutBody>, "assignment_key">;

/** The upsert's target and body: what every use case of this area starts from. */
export type UpsertTarget = AssignmentScope & { body: UpsertRequest };

/** How the change moves one service's effective assignment for the key (the preview's `changes`). */
type PlannedChange = Preview["changes"][number];

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

/** The context statement's one row. */
export type UpsertContext = {
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

/** The one read an upsert starts from: client, domain, service, patched services, model, contract, revisions. */
export function contextStatement(input: UpsertTarget): Statement {
  const namedIds = (input.body.service_updates ?? []).map((u) => u.service_id);
  return {
    name: "upsert_context_v1",
    text: CONTEXT_SQL,
    params: [
      input.clientId,
      input.domainId,
      input.serviceId ?? "",
      input.key,
      input.body.model_id,
      input.body.model_version,
      namedIds,
    ],
  };
}

/** The preview of an upsert: which services it would block, and how it would move each one's effective assignment. */
export async function previewUpsert(database: Database, input: UpsertTarget): Promise<Preview> {
  const plan = await planUpsert(database.query, input);
  return {
    compatible: plan.blocking.length === 0,
    blocking_services: plan.blocking,
    changes: plan.changes,
  };
}

/**
 * Decides the upsert, inside the caller's transaction (`q`). `options.context` is the context statement's row when
 * the caller already read it (in the same round trip as BEGIN); otherwise it is read here.
 */
export async function planUpsert(
  q: Query,
  input: UpsertTarget,
  options: { context?: UpsertContext } = {},
): Promise<UpsertPlan> {
  const { clientId, domainId, serviceId, key, body } = input;
  const updates = body.service_updates ?? [];
  const namedIds = updates.map((u) => u.service_id);
  if (new Set(namedIds).size !== namedIds.length) {
    const dup = namedIds.find((id, i) => namedIds.indexOf(id) !== i);
    throw badRequest(
      `service_updates names service "${dup}" more than once; merge its static_features into one entry`,
    );
  }

  let ctx = options.context;
  if (!ctx) {
    const { text, params, name } = contextStatement(input);
    [ctx] = await q<UpsertContext>(text, params, name);
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
    const merged = blockingEntry(
      serviceId,
      contracts.map((c) => checkCompatibility(serviceId, features, c)),
    );
    if (merged) blocking.push(merged);
  } else {
    const services = await q<{ id: string; features: Features; overridden: boolean }>(
      DOMAIN_SERVICES_SQL,
      [clientId, domainId, key],
    );
    const from: PlannedChange["from"] = ctx.active
      ? {
          assignment_id: ctx.active.assignment_id,
          source: "domain_default",
          model_id: ctx.active.model_id,
          model_version: ctx.active.model_version,
        }
      : null;
    const to: PlannedChange["to"] = activating
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
        ? blockingEntry(
            svc.id,
            contractsAfterChange(svc.id, applies).map((c) =>
              checkCompatibility(svc.id, features, c),
            ),
          )
        : own && blockingEntry(svc.id, [own]);
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
