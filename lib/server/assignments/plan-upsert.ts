// The upsert's reads (the context row, then the effective entries and the domain's services when the decision needs
// them) and its plan: read, then decide (lib/features/decide-upsert, pure). Shared by the PUT/POST upserts, dry runs
// and the domain preview.
import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
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

export type { AssignmentScope, ServicePatch, UpsertTarget } from "@/lib/features/decide-upsert";

export type UpsertPlan = Omit<UpsertDecision, "kind"> & {
  active: AssignmentDbRow | null;
  latest: AssignmentDbRow | null;
};

/** The context statement's one row. */
export type UpsertContext = UpsertFacts<AssignmentDbRow>;

/** The one read an upsert starts from: client, domain, service, patched services, model, contract, revisions. */
export function contextStatement(input: UpsertTarget): Statement {
  const { clientId, domainId, key } = input;
  const scope = input.serviceId ?? "";
  const namedIds = (input.body.service_updates ?? []).map((u) => u.service_id);
  const ofKey = and(
    eq(a.clientId, clientId),
    eq(a.domainId, domainId),
    eq(a.scope, scope),
    eq(a.assignmentKey, key),
  );
  const s = services;
  return {
    name: "upsert_context_v2",
    sql: sql`select
  exists(select 1 from ${clients} where ${clients.id} = ${clientId}) as client_exists,
  (select ${domains.status} from ${domains} where ${domains.clientId} = ${clientId} and ${domains.id} = ${domainId}) as domain_status,
  (select json_build_object('status', ${s.status}, 'features', ${s.providedFeatures}) from ${s}
     where ${s.clientId} = ${clientId} and ${s.domainId} = ${domainId} and ${s.id} = ${scope}) as service,
  (select json_agg(json_build_object('id', ${s.id}, 'status', ${s.status}, 'features', ${s.providedFeatures})) from ${s}
     where ${s.clientId} = ${clientId} and ${s.domainId} = ${domainId} and ${s.id} = any(${sql.param(namedIds)}::text[])) as named,
  exists(select 1 from ${models} where ${models.id} = ${input.body.model_id}) as model_exists,
  (select ${modelVersions.features} from ${modelVersions}
     where ${modelVersions.modelId} = ${input.body.model_id} and ${modelVersions.version} = ${input.body.model_version}) as contract,
  (select row_to_json(x) from (select ${assignmentSelectList()} from ${aliased(a)}
     where ${ofKey} and ${a.status} = 'active') x) as active,
  (select row_to_json(x) from (select ${assignmentSelectList()} from ${aliased(a)}
     where ${ofKey} order by ${a.revision} desc limit 1) x) as latest`,
  };
}

// Non-departed services of the domain, and whether each has its own active assignment for the key
// (then the domain default does not apply to it).
function domainServicesSql(clientId: string, domainId: string, key: string): SQL {
  const s = services;
  return sql`select ${s.id} as id, ${s.providedFeatures} as features, (${a.assignmentId} is not null) as overridden
  from ${s}
  left join ${aliased(a)} on ${a.clientId} = ${s.clientId} and ${a.domainId} = ${s.domainId} and ${a.scope} = ${s.id}
    and ${a.assignmentKey} = ${key} and ${a.status} = 'active'
  where ${s.clientId} = ${clientId} and ${s.domainId} = ${domainId} and ${s.status} = 'active'
  order by ${s.id}`;
}

/** The preview of an upsert: which services it would block, and how it would move each one's effective assignment. */
export async function previewUpsert(database: Database, input: UpsertTarget): Promise<Preview> {
  const plan = await planUpsert(database.run, input);
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
 * Plans the upsert, inside the caller's transaction (`run`): read, then decide (`decideUpsert`, pure). `options.context`
 * is the context statement's row when the caller already read it (in the same round trip as BEGIN); otherwise it is
 * read here. The further reads (effective entries, the domain's services) run only once the row has passed
 * `refuseUpsert`, as they always have.
 */
export async function planUpsert(
  run: Run,
  input: UpsertTarget,
  options: { context?: UpsertContext } = {},
): Promise<UpsertPlan> {
  const { clientId, domainId, key } = input;
  let ctx = options.context;
  if (!ctx) [ctx] = await run<UpsertContext>(contextStatement(input));
  if (!ctx) throw new Error("context query returned no row");
  const refusal = refuseUpsert(input, ctx);
  if (refusal) throw refusalError(refusal);

  const reads = upsertReads(input);
  const entries = reads.entriesOf
    ? await readEffectiveEntries(run, clientId, domainId, reads.entriesOf)
    : [];
  const services = reads.domainServices
    ? await run<DomainService>(domainServicesSql(clientId, domainId, key))
    : [];

  const decision = decideUpsert(input, { ...ctx, entries, services });
  if (decision.kind === "refusal") throw refusalError(decision);
  return { ...decision, active: ctx.active, latest: ctx.latest };
}
