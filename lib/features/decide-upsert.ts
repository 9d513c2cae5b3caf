// The upsert's decision, pure: from what the database holds (read under the scope lock) and the parsed body, either
// a refusal or the plan (service patches, the preview's changes, the services it would block, whether it changes
// anything). The server reads, calls this and writes; a dry run, a preview and a real write decide alike, and a
// stored change can be decided again later from a fresh read.
import type { z } from "zod";
import type { domainAssignmentPutBody, Preview } from "@/lib/schemas/assignments";
import type { BlockingService } from "@/lib/schemas/features";
import { blockingEntry } from "./blocking-services";
import { checkCompatibility } from "./check-compatibility";
import {
  blockingAfterChange,
  type AssignmentChange,
  type EffectiveEntry,
} from "./contracts-after-change";
import { jsonEqual } from "./json-equal";
import { mergeFeatures } from "./merge-features";
import type { FeatureDefinition, Features } from "./types";

export type AssignmentScope = {
  clientId: string;
  domainId: string;
  serviceId: string | null;
  key: string;
};

/**
 * The upsert's body as the route parsed it (defaults applied, and the schema's own rules passed: no service patched
 * twice, a restore only when activating); the key comes from the path or the POST body.
 */
export type UpsertRequest = Omit<z.infer<typeof domainAssignmentPutBody>, "assignment_key">;

/** The upsert's target and body: what every use case of this area starts from. */
export type UpsertTarget = AssignmentScope & { body: UpsertRequest };

/** How the change moves one service's effective assignment for the key (the preview's `changes`). */
export type PlannedChange = Preview["changes"][number];

export type ServicePatch = { id: string; before: Features; after: Features };

/** A service pin_services keeps on its current effective model and version (its own new assignment). */
export type PlannedPin = { service_id: string; model_id: string; model_version: string };

/** What the decision reads of a revision. */
export type RevisionFacts = {
  assignment_id: string;
  revision: number;
  model_id: string;
  model_version: string;
  role: string | null;
  settings: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
};

/** The context statement's one row: the target, the named services, the model and the key's revisions. */
export type UpsertFacts<R extends RevisionFacts = RevisionFacts> = {
  client_exists: boolean;
  domain_status: "active" | "inactive" | null;
  service: { status: "active" | "departed"; features: Features } | null;
  named: { id: string; status: "active" | "departed"; features: Features }[] | null;
  model_exists: boolean;
  contract: FeatureDefinition[] | null;
  active: R | null;
  latest: R | null;
};

/** A non-departed service of the domain, and whether it has its own active assignment for the key. */
export type DomainService = { id: string; features: Features; overridden: boolean };

/** Everything the decision reads: the context row, then the reads `upsertReads` asks for (empty when not asked). */
export type UpsertContext = UpsertFacts & {
  /** Active domain defaults and the listed services' own active assignments, with their contracts. */
  entries: readonly EffectiveEntry[];
  /** The domain's non-departed services (a domain default's upsert only). */
  services: readonly DomainService[];
};

export type UpsertRefusal = {
  kind: "refusal";
  status: 400 | 404 | 422;
  message: string;
  /** A short kind of refusal for metrics ("domain_inactive"); not shown to the caller. */
  reason?: string;
};

export type UpsertDecision = {
  kind: "decision";
  patches: ServicePatch[];
  /** The services pin_services keeps where they are, ordered by id (already overridden ones are left out). */
  pins: PlannedPin[];
  changes: PlannedChange[];
  /** Services that would not satisfy their contracts after the change: the write is refused with 422. */
  blocking: BlockingService[];
  /** Same content as the active revision (or, retiring, as the latest) and no patch changes a value: write nothing. */
  unchanged: boolean;
};

const refuse = (
  status: UpsertRefusal["status"],
  message: string,
  extra: { reason?: string } = {},
): UpsertRefusal => ({ kind: "refusal", status, message, ...extra });

/**
 * The refusals the context row alone decides (unknown client, domain, service or model; an inactive domain; a
 * departed service; a patch of a service the route may not patch; a restore of a revision that does not exist).
 * The server checks them before any further read; `decideUpsert` checks them again, so it stands alone.
 */
export function refuseUpsert(target: UpsertTarget, facts: UpsertFacts): UpsertRefusal | null {
  const { clientId, domainId, serviceId, key, body } = target;
  const namedIds = (body.service_updates ?? []).map((u) => u.service_id);
  const pinIds = body.pin_services ?? [];
  if (!facts.client_exists) return refuse(404, `Client "${clientId}" not found`);
  if (facts.domain_status === null)
    return refuse(404, `Domain "${domainId}" not found in client "${clientId}"`);
  if (serviceId !== null && facts.service === null)
    return refuse(404, `Service "${serviceId}" not found in domain "${domainId}"`);
  if (facts.domain_status !== "active")
    return refuse(
      422,
      `Domain "${domainId}" is not active: activate it before changing its assignments`,
      { reason: "domain_inactive" },
    );
  if (serviceId !== null && facts.service?.status === "departed")
    return refuse(
      422,
      `Service "${serviceId}" has departed domain "${domainId}" and can't receive assignments`,
      { reason: "service_departed" },
    );

  const named = new Map((facts.named ?? []).map((s) => [s.id, s]));
  for (const id of namedIds) {
    const found = named.get(id);
    if (!found)
      return refuse(
        404,
        `service_updates names service "${id}", which is not in domain "${domainId}"`,
      );
    if (found.status === "departed")
      return refuse(
        422,
        `service_updates names service "${id}", which has departed domain "${domainId}" and can't be patched`,
        { reason: "service_departed" },
      );
    if (serviceId !== null && id !== serviceId)
      return refuse(
        400,
        `service_updates on the route of service "${serviceId}" may only patch "${serviceId}" itself; patch "${id}" through the domain default route (PUT /v2/clients/${clientId}/domains/${domainId}/assignments/${key}) or PATCH that service`,
      );
  }

  if (pinIds.length > 0) {
    if (serviceId !== null)
      return refuse(
        400,
        `pin_services belongs on the domain default route (PUT /v2/clients/${clientId}/domains/${domainId}/assignments/${key}), not on a service's`,
      );
    const patched = new Set(namedIds);
    for (const id of pinIds) {
      const found = named.get(id);
      if (!found)
        return refuse(
          422,
          `pin_services names service "${id}", which is not in domain "${domainId}"; remove it from pin_services`,
          { reason: "pin_unknown_service" },
        );
      if (found.status === "departed")
        return refuse(
          422,
          `pin_services names service "${id}", which has departed domain "${domainId}" and can't be pinned; remove it from pin_services`,
          { reason: "pin_departed_service" },
        );
      if (patched.has(id))
        return refuse(
          422,
          `Service "${id}" is both in service_updates and in pin_services: either fix it so it moves, or pin it so it stays; not both`,
          { reason: "pin_and_update" },
        );
    }
    if (facts.active === null)
      return refuse(
        422,
        `pin_services keeps services on the domain default they run now, and key "${key}" has no active domain default: there is nothing to keep them on; remove pin_services`,
        { reason: "pin_without_default" },
      );
  }

  const restoredFrom = body.restored_from_revision;
  if (restoredFrom !== undefined) {
    // Revisions of a key are numbered 1, 2, 3… and never deleted; the database's foreign key checks it too.
    const newest = facts.latest?.revision ?? 0;
    if (restoredFrom > newest)
      return refuse(
        422,
        newest === 0
          ? `restored_from_revision ${restoredFrom} names no revision: key "${key}" has none yet`
          : `restored_from_revision ${restoredFrom} names no revision of key "${key}": its revisions are 1 to ${newest}`,
      );
  }

  if (!facts.model_exists)
    return refuse(422, `Model "${body.model_id}" is not in the registry; register it first`, {
      reason: "model_not_registered",
    });
  if (facts.contract === null)
    return refuse(
      422,
      `Model "${body.model_id}" has no version "${body.model_version}" in the registry; register the version or pick an existing one`,
      { reason: "version_not_registered" },
    );
  return null;
}

/**
 * The reads the decision needs after the context row: the effective entries of these services (null: none), and
 * the domain's services (a domain default's upsert). Patched services must stay compatible with every assignment
 * effective for them after the change, on every key; so must a service whose override is retired and falls back
 * to the domain default.
 */
export function upsertReads(target: UpsertTarget): {
  entriesOf: string[] | null;
  domainServices: boolean;
} {
  const { serviceId, body } = target;
  const patched = (body.service_updates ?? []).map((u) => u.service_id);
  const retiringOverride = serviceId !== null && body.status !== "active";
  const entriesOf =
    patched.length > 0 || retiringOverride ? (serviceId !== null ? [serviceId] : patched) : null;
  return { entriesOf, domainServices: serviceId === null };
}

/** Same model, version, role, settings and metadata as the revision. */
function sameContent(revision: RevisionFacts, body: UpsertRequest): boolean {
  return (
    revision.model_id === body.model_id &&
    revision.model_version === body.model_version &&
    (revision.role ?? null) === (body.role ?? null) &&
    jsonEqual(revision.settings ?? {}, body.settings) &&
    jsonEqual(revision.metadata ?? {}, body.metadata)
  );
}

/** Decides the upsert: a refusal, or what to write and whom it would block. Pure: reads only its arguments. */
export function decideUpsert(
  target: UpsertTarget,
  context: UpsertContext,
): UpsertRefusal | UpsertDecision {
  const refusal = refuseUpsert(target, context);
  if (refusal) return refusal;
  const { serviceId, key, body } = target;
  const contract = context.contract!;
  const activating = body.status === "active";
  const change: AssignmentChange = { serviceId, key, contract: activating ? contract : null };

  const named = new Map((context.named ?? []).map((s) => [s.id, s]));
  const patches: ServicePatch[] = [];
  const patchedFeatures = new Map<string, Features>();
  for (const update of body.service_updates ?? []) {
    const before = named.get(update.service_id)!.features ?? {};
    const merged = mergeFeatures(before, update.static_features);
    patchedFeatures.set(update.service_id, merged.features);
    if (merged.changed) patches.push({ id: update.service_id, before, after: merged.features });
  }

  const blocking: BlockingService[] = [];
  const changes: PlannedChange[] = [];
  const pins: PlannedPin[] = [];
  const pinIds = new Set(serviceId === null ? (body.pin_services ?? []) : []);
  // The other keys' contracts matter only to a service whose features change or whose override is retired (the
  // reads `upsertReads` asks for); any other service is checked against the new contract alone.
  const entries = upsertReads(target).entriesOf ? context.entries : [];
  if (serviceId !== null) {
    const features = patchedFeatures.get(serviceId) ?? context.service!.features ?? {};
    const entry = blockingAfterChange(entries, serviceId, features, change);
    if (entry) blocking.push(entry);
  } else {
    const active = context.active;
    const from: PlannedChange["from"] = active
      ? {
          assignment_id: active.assignment_id,
          source: "domain_default",
          model_id: active.model_id,
          model_version: active.model_version,
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
    for (const svc of context.services) {
      // A pinned service gets its own assignment at the default it runs now: the change no longer applies to it.
      // One that has its own assignment already is where it stays (the default does not apply to it either).
      if (pinIds.has(svc.id)) {
        if (!svc.overridden)
          pins.push({
            service_id: svc.id,
            model_id: active!.model_id,
            model_version: active!.model_version,
          });
        continue;
      }
      const patched = patchedFeatures.get(svc.id);
      const features = patched ?? svc.features ?? {};
      const applies = !svc.overridden;
      // One check against the target per service the default applies to; it feeds the preview, and the blocking
      // list of a service whose features stay as they are (its other keys are unchanged).
      const own = applies && activating ? checkCompatibility(svc.id, features, contract) : null;
      const entry = patched
        ? blockingAfterChange(entries, svc.id, features, change)
        : own && blockingEntry(svc.id, [own]);
      if (entry) blocking.push(entry);
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

  const unchanged =
    patches.length === 0 &&
    pins.length === 0 &&
    (context.active
      ? activating && sameContent(context.active, body)
      : !activating && context.latest !== null && sameContent(context.latest, body));

  return { kind: "decision", patches, pins, changes, blocking, unchanged };
}
