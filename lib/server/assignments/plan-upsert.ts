// The upsert's reads (the context row, then the effective entries and the domain's services when the decision needs
// them) and its plan: read, then decide (lib/features/decide-upsert, pure). Shared by the PUT/POST upserts, dry runs
// and the domain preview.
import "server-only";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { prepared } from "@/db/statement";
import type { Database, Run, Statement } from "@/db/types";
import { clients, domains, models, modelVersions, services } from "@/db/schema";
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
import { a, aliased, assignmentSelectList, type AssignmentDbRow } from "./assignment-row";
import { readEffectiveEntries } from "./effective-contracts";
import { requiredApprovalsSql } from "@/lib/server/change-requests/policy";

export type { AssignmentScope, ServicePatch, UpsertTarget } from "@/lib/features/decide-upsert";

export type UpsertPlan = Omit<UpsertDecision, "kind"> & {
  active: AssignmentDbRow | null;
  latest: AssignmentDbRow | null;
};

/** The context statement's one row, with the approvals the domain's policy requires (change requests). */
export type UpsertContext = UpsertFacts<AssignmentDbRow> & { required_approvals?: number };

/**
 * The values a context row is read for: bind parameters (one upsert) or a batch's columns (a change request).
 * `namedIds`: the services the body names, if it may name any.
 */
type ContextValues = Record<
  "clientId" | "domainId" | "scope" | "key" | "modelId" | "modelVersion",
  SQLWrapper
> & { namedIds?: SQLWrapper };

/**
 * The context row for one upsert's values, joined onto `source` (one row: the single statement; the targets' rows:
 * the batch): shared by the single statement and the batch. One row of each table the decision needs, reached by
 * left joins (decision 130): the client (it exists; its approval policy), the domain (its status; its policy), the
 * service, the model, the version's contract, and the key's latest revision, which is also its active one when its
 * status is active (every write inserts the key's next revision and archives the active one in the same statement,
 * so an active revision is always the key's latest; were one not, the write would fail on the one-active index,
 * never store two). Without `namedIds` (a body that names no services, most writes) the row has no `named`
 * column: one subquery less for PostgreSQL to set up on every PUT (decision 128).
 */
function contextSelect(v: ContextValues, source: SQL): SQL {
  const s = services;
  const n = alias(services, "n");
  const c = clients;
  const d = domains;
  return sql`select (${c.id} is not null) as client_exists,
  ${d.status} as domain_status,
  case when ${s.id} is not null then json_build_object('status', ${s.status}, 'features', ${s.providedFeatures}) end as service,
  ${
    v.namedIds
      ? sql`(select json_agg(json_build_object('id', ${n.id}, 'status', ${n.status}, 'features', ${n.providedFeatures}))
     from unnest(${v.namedIds}::text[]) as named_ids(id) join ${s} ${n}
       on ${n.clientId} = ${v.clientId} and ${n.domainId} = ${v.domainId} and ${n.id} = named_ids.id) as named,`
      : sql``
  }
  (${models.id} is not null) as model_exists,
  ${modelVersions.features} as contract,
  case when latest.status = 'active' then row_to_json(latest) end as active,
  case when latest.assignment_id is not null then row_to_json(latest) end as latest,
  ${requiredApprovalsSql(d.changePolicy, c.changePolicy)} as required_approvals
  from ${source}
  left join ${c} on ${c.id} = ${v.clientId}
  left join ${d} on ${d.clientId} = ${v.clientId} and ${d.id} = ${v.domainId}
  left join ${s} on ${s.clientId} = ${v.clientId} and ${s.domainId} = ${v.domainId} and ${s.id} = ${v.scope}
  left join ${models} on ${models.id} = ${v.modelId}
  left join ${modelVersions} on ${modelVersions.modelId} = ${v.modelId} and ${modelVersions.version} = ${v.modelVersion}
  left join lateral (select ${assignmentSelectList()} from ${aliased(a)}
     where ${a.clientId} = ${v.clientId} and ${a.domainId} = ${v.domainId} and ${a.scope} = ${v.scope}
       and ${a.assignmentKey} = ${v.key}
     order by ${a.revision} desc limit 1) latest on true`;
}

/** The one row the single statement joins onto. */
const ONE_ROW = sql`(select) as one`;

const context = prepared(
  "upsert_context_v5",
  ["clientId", "domainId", "scope", "key", "modelId", "modelVersion", "namedIds"],
  (v) => contextSelect(v, ONE_ROW),
);

/** The context read of a body that names no services (no service_updates, no pin_services). */
const contextUnnamed = prepared(
  "upsert_context_plain_v2",
  ["clientId", "domainId", "scope", "key", "modelId", "modelVersion"],
  (v) => contextSelect(v, ONE_ROW),
);

/** The values of one target's context row. */
function contextValuesOf(input: UpsertTarget) {
  return {
    clientId: input.clientId,
    domainId: input.domainId,
    scope: input.serviceId ?? "",
    key: input.key,
    modelId: input.body.model_id,
    modelVersion: input.body.model_version,
    // The services the body names: patched ones, and pinned ones (domain default route only).
    namedIds: [
      ...(input.body.service_updates ?? []).map((u) => u.service_id),
      ...(input.body.pin_services ?? []),
    ],
  };
}

/** The one read an upsert starts from: client, domain, service, patched services, model, contract, revisions. */
export function contextStatement(input: UpsertTarget): Statement {
  const values = contextValuesOf(input);
  return values.namedIds.length > 0 ? context(values) : contextUnnamed(values);
}

/**
 * The context rows of many upserts of one client in one statement (a change request's changes): the same columns
 * as `contextStatement`'s, one row per target in the targets' order. The values travel as one JSON parameter.
 */
export function contextsStatement(clientId: string, inputs: readonly UpsertTarget[]): SQL {
  const rows = inputs.map((input, ord) => {
    const { clientId: _client, ...values } = contextValuesOf(input);
    return { ord, ...values };
  });
  const column = (name: string) => sql.raw(`t."${name}"`);
  return sql`${contextSelect(
    {
      clientId: sql`${clientId}`,
      domainId: column("domainId"),
      scope: column("scope"),
      key: column("key"),
      modelId: column("modelId"),
      modelVersion: column("modelVersion"),
      namedIds: column("namedIds"),
    },
    sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
    as t(ord int, "domainId" text, scope text, key text, "modelId" text, "modelVersion" text, "namedIds" text[])`,
  )}
  order by t.ord`;
}

// Non-departed services of the domain, and whether each has its own active assignment for the key
// (then the domain default does not apply to it).
function domainServicesSql(clientId: string, domainId: string, key: string): SQL {
  return sql`select ${domainServicesColumns()}
  from ${domainServicesJoin(clientId, sql`${domainId}`, sql`${key}`)}
  order by ${services.id}`;
}

const domainServicesColumns = () =>
  sql`${services.id} as id, ${services.providedFeatures} as features, (${a.assignmentId} is not null) as overridden`;

function domainServicesJoin(clientId: string, domainId: SQLWrapper, key: SQLWrapper): SQL {
  const s = services;
  return sql`${s}
  left join ${aliased(a)} on ${a.clientId} = ${s.clientId} and ${a.domainId} = ${s.domainId} and ${a.scope} = ${s.id}
    and ${a.assignmentKey} = ${key} and ${a.status} = 'active'
  where ${s.clientId} = ${clientId} and ${s.domainId} = ${domainId} and ${s.status} = 'active'`;
}

/** A domain's services as a domain default's decision reads them, for many (domain, key) pairs of one client. */
export type KeyedDomainService = DomainService & { domain_id: string; key: string };

/** The domain services of many domain default upserts in one statement (a change request's changes). */
export function domainServicesOfStatement(
  clientId: string,
  pairs: readonly { domain_id: string; key: string }[],
): SQL {
  return sql`select p.domain_id, p.key, x.id, x.features, x.overridden
  from jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as p(domain_id text, key text)
  cross join lateral (select ${domainServicesColumns()}
    from ${domainServicesJoin(clientId, sql`p.domain_id`, sql`p.key`)}) x
  order by p.domain_id, p.key, x.id`;
}

/** The preview of an upsert: which services it would block, and how it would move each one's effective assignment. */
export async function previewUpsert(database: Database, input: UpsertTarget): Promise<Preview> {
  const plan = await planUpsert(database.run, input);
  return {
    compatible: plan.blocking.length === 0,
    blocking_services: plan.blocking,
    pinned: plan.pins.map((p) => ({ ...p, assignment_id: null })),
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
 * Reads and decides, inside the caller's transaction (`run`), with a refusal as data: the context row (unless the
 * caller read it), then only the reads `upsertReads` asks for once the row has passed `refuseUpsert`. A change
 * request decides its changes with it, at open and again at apply.
 */
export async function readDecision(
  run: Run,
  input: UpsertTarget,
  options: { context?: UpsertContext } = {},
): Promise<{ decision: UpsertDecision | UpsertRefusal; context: UpsertContext }> {
  const { clientId, domainId, key } = input;
  let context = options.context;
  if (!context) [context] = await run<UpsertContext>(contextStatement(input));
  if (!context) throw new Error("context query returned no row");
  const refusal = refuseUpsert(input, context);
  if (refusal) return { decision: refusal, context };

  const reads = upsertReads(input);
  const entries = reads.entriesOf
    ? await readEffectiveEntries(run, clientId, domainId, reads.entriesOf)
    : [];
  const services = reads.domainServices
    ? await run<DomainService>(domainServicesSql(clientId, domainId, key))
    : [];
  return { decision: decideUpsert(input, { ...context, entries, services }), context };
}

/**
 * Plans the upsert, inside the caller's transaction (`run`): read, then decide (`decideUpsert`, pure).
 * `options.context` is the context statement's row when the caller already read it (in the same round trip as
 * BEGIN); otherwise it is read here. The further reads (effective entries, the domain's services) run only once the
 * row has passed `refuseUpsert`.
 */
export async function planUpsert(
  run: Run,
  input: UpsertTarget,
  options: { context?: UpsertContext } = {},
): Promise<UpsertPlan> {
  const { decision, context } = await readDecision(run, input, options);
  if (decision.kind === "refusal") throw refusalError(decision);
  return { ...decision, active: context.active, latest: context.latest };
}
