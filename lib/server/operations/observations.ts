// Observed state: services report what they run; the status of a key compares it with what they should run
// (docs/observed-state.md).
import "server-only";
import { reportObservations as writeReports } from "@/lib/server/observations/report-observations";
import { readSyncStatus } from "@/lib/server/observations/sync-status";
import { encodeCursor, decodeCursor } from "@/lib/server/http/cursor";
import {
  MAX_OBSERVATIONS,
  observationBatchBody,
  observationBatchResponse,
  observationBody,
  observationItem,
  observationResult,
  syncStatusPage,
  syncStatusQuery,
  type ObservationBatchResponse,
  type ObservationItem,
} from "@/lib/schemas/observations";
import { notFound } from "@/lib/shared/errors";
import { family } from "./define";

const op = family("Observed state");

const REPORT_EXAMPLE = {
  assignment_id: "3f0c2a9e-6b1d-4c8e-9a57-2d4b8e1f0c6a",
  model_id: "example-model",
  model_version: "2.0.0",
  contract_hash: "3f0c9b1e5a7d2c4b6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f",
  state: "loaded",
};

const BATCH_BYTES = 8 * 1024 * 1024;

export const reportObservation = op.put({
  path: "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/observed/{assignment_key}",
  operationId: "reportObservation",
  summary: "Report what a service runs for a key",
  description:
    "Replaces the service's latest report for the key (no revision, no audit entry) and answers its sync state against what it should run. " +
    "A report that changes the sync state is published on the domain's change feed (`kind: service`, `action: sync_changed`) and to webhooks. " +
    "Scope `observations:write` (or `assignments:write`). Send `contract_hash` as the effective read gave it, so a contract mismatch is caught.",
  scope: "observations:write",
  dryRun: true,
  body: { schema: observationBody, example: REPORT_EXAMPLE },
  answers: { description: "The service's sync state after the report", schema: observationResult },
  errors: {
    422: "Semantically invalid report — the service departed, the domain is not active, the model version is not in the registry, or `assignment_id` is not a revision of this key for the service (or assigns another version).",
  },
  write: async ({ db, actor, params, body, dryRun }) => {
    const item: ObservationItem = {
      ...body,
      service_id: params.service_id,
      assignment_key: params.assignment_key,
    };
    const [outcome] = await writeReports(db, {
      clientId: params.client_id,
      domainId: params.domain_id,
      actor,
      items: [{ index: 0, item }],
      dryRun,
    });
    if (outcome?.error) throw outcome.error;
    return outcome!.result;
  },
});

export const reportObservations = op.post({
  path: "/v2/clients/{client_id}/domains/{domain_id}/observations",
  operationId: "reportObservations",
  summary: "Report what many services run, in one body",
  description:
    `Up to ${MAX_OBSERVATIONS.toLocaleString("en")} reports (\`ObservationItem\`s) in one body (at most 8 MiB), each like the single PUT plus \`service_id\` and \`assignment_key\`. ` +
    "Each item is checked on its own: the answer has one result per item, in order, with the status it would get alone (200 kept; 400 invalid or a second report of the same service and key; 404 unknown service; 422 as the PUT). Bad items are named and skipped; the good ones are kept. " +
    "A constant number of statements whatever the number of items.",
  scope: "observations:write",
  dryRun: true,
  body: {
    schema: observationBatchBody,
    maxBytes: BATCH_BYTES,
    example: { items: [{ service_id: "service-1", assignment_key: "default", ...REPORT_EXAMPLE }] },
  },
  answers: { description: "One result per item", schema: observationBatchResponse },
  errors: {
    404: "The client or domain was not found.",
    413: "Request body too large: the limit for this route is 8 MiB.",
    422: "The domain is not active (nothing kept).",
  },
  write: async ({ db, actor, params, body, dryRun }) => {
    const results: ObservationBatchResponse["results"] = new Array(body.items.length);
    const valid: { index: number; item: ObservationItem }[] = [];
    body.items.forEach((raw, index) => {
      const parsed = observationItem.safeParse(raw);
      if (parsed.success) {
        valid.push({ index, item: parsed.data });
        return;
      }
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.map(String).join(".") || "(item)"}: ${i.message}`)
        .join("; ");
      results[index] = {
        index,
        status: 400,
        service_id: typeof raw.service_id === "string" ? raw.service_id : null,
        assignment_key: typeof raw.assignment_key === "string" ? raw.assignment_key : null,
        message: `Invalid report: ${issues}`,
      };
    });
    const outcomes =
      valid.length > 0
        ? await writeReports(db, {
            clientId: params.client_id,
            domainId: params.domain_id,
            actor,
            items: valid,
            dryRun,
          })
        : [];
    for (const o of outcomes) {
      const { item } = valid.find((v) => v.index === o.index) ?? { item: undefined };
      results[o.index] = o.result
        ? {
            index: o.index,
            status: 200,
            service_id: o.result.service_id,
            assignment_key: o.result.assignment_key,
            result: o.result,
          }
        : {
            index: o.index,
            status: o.error!.status,
            service_id: item?.service_id ?? null,
            assignment_key: item?.assignment_key ?? null,
            message: o.error!.message,
          };
    }
    const accepted = results.filter((r) => r.status === 200).length;
    return { accepted, rejected: results.length - accepted, results };
  },
});

export const getSyncStatus = op.get({
  path: "/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}/status",
  operationId: "getSyncStatus",
  summary: "What each service runs for a key, against what it should run",
  description:
    "Per service (sorted by id): `desired` (its effective assignment, with the version's contract hash), `observed` (its last report), `sync`, `since` (when that state began) and `last_seen`; plus `counts` over every service. " +
    "Services are the domain's active ones that should run something for the key or have reported about it. A report older than the client's `stale_after` counts as `unknown`. " +
    "Filter the items with `sync=` (comma-separated states), `q=` (text in the service id) and `service_ids=`; `counts` are over all of them.",
  scope: "assignments:read",
  query: syncStatusQuery,
  answers: { description: "The key's sync status", schema: syncStatusPage },
  read: async ({ db, params, query }) => {
    const after = decodeCursor(query.cursor, ["string"]);
    const [target] = await readSyncStatus(db, [
      { clientId: params.client_id, domainId: params.domain_id, key: params.assignment_key },
    ]);
    if (!target?.exists) {
      throw notFound(
        `Client "${params.client_id}" or its domain "${params.domain_id}" was not found`,
      );
    }
    const wanted = query.sync ? new Set(query.sync) : null;
    const text = query.q?.toLowerCase();
    const only = query.service_ids ? new Set(query.service_ids) : null;
    const matching = target.services.filter(
      (s) =>
        (wanted === null || wanted.has(s.sync)) &&
        (!text || s.service_id.toLowerCase().includes(text)) &&
        (only === null || only.has(s.service_id)) &&
        (after === null || s.service_id > (after[0] as string)),
    );
    const items = matching.slice(0, query.limit);
    const more = matching.length > query.limit;
    return {
      assignment_key: params.assignment_key,
      counts: target.counts,
      items,
      next_cursor: more ? encodeCursor([items[items.length - 1]!.service_id]) : null,
    };
  },
});
