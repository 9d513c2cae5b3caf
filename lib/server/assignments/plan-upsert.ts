// The upsert's reads (the context row, then the effective entries and the domain's services when the decision needs
// them) and its plan: read, then decide (lib/features/decide-upsert, pure). Shared by the PUT/POST upserts, dry runs
// and the domain preview.
import "server-only";
import type { Database, Query, Statement } from "@/db/types";
import {
  decideUpsert,
  refuseUpsert,
  upsertReads,
  type DomainService,
  type UpsertDecision,
  type UpsertFacts,
  type UpsertRefusal,
  type UpsertTarget,
} from "@/lib/features/decide-upsert";
import type { Preview } from "@/lib/schemas/assignments";
import { badRequest, notFound, unprocessable, type ApiError } from "@/lib/shared/errors";
import { ASSIGNMENT_COLUMNS, type AssignmentDbRow } from "./assignment-row";
import { loadEffectiveEntries } from "./effective-contracts";
import { REQUIRED_APPROVALS_SQL } from "@/lib/server/change-requests/policy";

export type { AssignmentScope, ServicePatch, UpsertTarget } from "@/lib/features/decide-upsert";

export type UpsertPlan = Omit<UpsertDecision, "kind"> & {
  active: AssignmentDbRow | null;
  latest: AssignmentDbRow | null;
};

/** The context statement's one row, with the approvals the domain's policy requires (change requests). */
export type UpsertContext = UpsertFacts<AssignmentDbRow> & { required_approvals?: number };

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
     order by a.revision desc limit 1) x) as latest,
  ${REQUIRED_APPROVALS_SQL} as required_approvals`;

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
    name: "upsert_context_v2",
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

/** A refusal of the decision as the error the route wrapper renders. */
function refusalError(refusal: UpsertRefusal): ApiError {
  if (refusal.status === 400) return badRequest(refusal.message);
  if (refusal.status === 404) return notFound(refusal.message);
  return unprocessable(refusal.message, {}, refusal.reason);
}

/**
 * Reads and decides, inside the caller's transaction (`q`), with a refusal as data: the context row (unless the
 * caller read it), then only the reads `upsertReads` asks for once the row has passed `refuseUpsert`. A change
 * request decides its changes with it, at open and again at apply.
 */
export async function readDecision(
  q: Query,
  input: UpsertTarget,
  options: { context?: UpsertContext } = {},
): Promise<{ decision: UpsertDecision | UpsertRefusal; context: UpsertContext }> {
  const { clientId, domainId, key } = input;
  let context = options.context;
  if (!context) {
    const { text, params, name } = contextStatement(input);
    [context] = await q<UpsertContext>(text, params, name);
  }
  if (!context) throw new Error("context query returned no row");
  const refusal = refuseUpsert(input, context);
  if (refusal) return { decision: refusal, context };

  const reads = upsertReads(input);
  const entries = reads.entriesOf
    ? await loadEffectiveEntries(q, clientId, domainId, reads.entriesOf)
    : [];
  const services = reads.domainServices
    ? await q<DomainService>(DOMAIN_SERVICES_SQL, [clientId, domainId, key])
    : [];
  return { decision: decideUpsert(input, { ...context, entries, services }), context };
}

/**
 * Plans the upsert, inside the caller's transaction (`q`): read, then decide (`decideUpsert`, pure). `options.context`
 * is the context statement's row when the caller already read it (in the same round trip as BEGIN); otherwise it is
 * read here. The further reads (effective entries, the domain's services) run only once the row has passed
 * `refuseUpsert`, as they always have.
 */
export async function planUpsert(
  q: Query,
  input: UpsertTarget,
  options: { context?: UpsertContext } = {},
): Promise<UpsertPlan> {
  const { decision, context } = await readDecision(q, input, options);
  if (decision.kind === "refusal") throw refusalError(decision);
  return { ...decision, active: context.active, latest: context.latest };
}
