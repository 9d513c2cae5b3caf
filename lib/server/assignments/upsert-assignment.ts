// Upserts one assignment key (domain default or service override): archive the active revision and insert
// the new one in one transaction, with the service patches, or write nothing at all.
import "server-only";
import { randomUUID } from "node:crypto";
import { assignmentEtag } from "@/lib/shared/assignment-etag";
import type { Database, Statement } from "@/db/types";
import { hasScope, type Actor } from "@/lib/shared/scopes";
import {
  ApiError,
  conflict,
  forbidden,
  isUniqueViolation,
  pgConstraint,
  retryableAbort,
  preconditionFailed,
  unprocessable,
} from "@/lib/shared/errors";
import type { Assignment, PinnedService } from "@/lib/schemas/assignments";
import type { PlannedPin } from "@/lib/features/decide-upsert";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { prepared } from "@/db/statement";
import { assignments, services } from "@/db/schema";
import {
  a,
  aliased,
  assignmentSelectList,
  toAssignmentRow,
  type AssignmentDbRow,
} from "./assignment-row";
import { auditInsert } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import { scopeLockStatement } from "@/lib/server/locks";
import { DryRunRollback } from "@/db/dry-run";
import {
  countAssignmentWrite,
  type AssignmentWriteResult,
} from "@/lib/server/observability/metrics.mjs";
import { blockingMessage } from "@/lib/features/blocking-services";
import { formatActor } from "@/lib/shared/format-actor";
import { assertDirectWrite, bypassAuditStatement } from "@/lib/server/change-requests/policy";
import {
  contextStatement,
  planUpsert,
  type ServicePatch,
  type UpsertContext,
  type UpsertTarget,
} from "./plan-upsert";

export type UpsertInput = UpsertTarget & {
  actor: Actor;
  /** The request id, and the X-Change-Reason kept on the revision and its audit entries. */
  meta: WriteMeta;
  /** The If-Match header's value, if any. */
  ifMatch?: string | null;
  /** X-Approval-Bypass: an all-clients admin's reason to write around the domain's required approvals. */
  bypass?: string | null;
};

export type UpsertOptions = {
  /** "create" refuses with 409 when the key already has an active revision (the collection POST). */
  mode?: "upsert" | "create";
  /** Runs every check and the write, then rolls back: answers exactly what the write would. */
  dryRun?: boolean;
};

export type UpsertOutcome = { row: Assignment; pinned: PinnedService[]; written: boolean };

/** `2026-11-30T04:52:07.123Z` → `2026-11-30 04:52:07 UTC`: a time a person reads in an error message. */
function readableTime(value: string): string {
  return value.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
}

function etagMatches(ifMatch: string, active: AssignmentDbRow | null): boolean {
  if (!active) return false;
  return ifMatch
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some(
      (t) => t === "*" || t === assignmentEtag(active.assignment_id) || t === active.assignment_id,
    );
}

// One statement: archive the active revision, insert the new one, and write its audit row; a write that patches
// services (a JSON array of { id, before, after }) or pins them (their ids: each gets its own active revision of the
// key at the archived default's model, version, role, settings and metadata, pinned_by the new revision) does that in
// the same statement, with their audit rows, however many services it touches. Every audit row carries the new
// revision's assignment_id, so history shows which service changes went in with which revision. The insert reads
// the archive's row count, which makes PostgreSQL finish the archive before inserting, so the partial unique
// index (one active revision per key) never sees two active rows. Rendered once per variant; prepared once per
// connection (PostgreSQL keeps its parse and plan). Most writes touch no service: they run the plain variant,
// without the service CTEs, which PostgreSQL would otherwise set up (and its triggers fire for) on every PUT
// (decision 128). The archive names the key's columns as well as the revision's id, so that any index
// PostgreSQL's generic plan picks is an exact lookup: with the id alone, a plan made while the table was small
// could walk every active revision of the table through `assignments_one_active_per_key` on every PUT (decision 127).
const WRITE_VALUES = [
  "activeId",
  "newId",
  "clientId",
  "domainId",
  "scope",
  "key",
  "revision",
  "modelId",
  "modelVersion",
  "status",
  "role",
  "settings",
  "metadata",
  "actor",
  "reason",
  "requestId",
  "restoredFrom",
  "action",
  "entityId",
  "changeRequestId",
  "bypass",
] as const;
/** The values only a write that patches or pins services takes. */
const SERVICE_VALUES = ["patches", "servicePrefix", "pins"] as const;

type Values<K extends readonly string[]> = Record<K[number], SQLWrapper>;

function writeSql(v: Values<typeof WRITE_VALUES>, touched?: Values<typeof SERVICE_VALUES>): SQL {
  const c = (column: { name: string }) => sql.identifier(column.name);
  const s = services;
  const r = alias(assignments, "r");
  const columns = [
    a.assignmentId,
    a.clientId,
    a.domainId,
    a.scope,
    a.assignmentKey,
    a.revision,
    a.modelId,
    a.modelVersion,
    a.status,
    a.role,
    a.settings,
    a.metadata,
    a.createdBy,
    a.changeReason,
    a.createdAt,
    a.updatedAt,
    a.activeUntil,
    a.restoredFromRevision,
    a.changeRequestId,
    a.approvalBypass,
  ];
  const head = sql`with prev as (
    update ${aliased(a)} set ${c(a.status)} = 'archived', ${c(a.updatedAt)} = now(), ${c(a.activeUntil)} = now()
    where ${a.clientId} = ${v.clientId} and ${a.domainId} = ${v.domainId} and ${a.scope} = ${v.scope}
      and ${a.assignmentKey} = ${v.key} and ${a.status} = 'active' and ${a.assignmentId} = ${v.activeId}
    returning ${assignmentSelectList()}
  ), ins as (
    insert into ${assignments} as a (${sql.join(columns.map(c), sql`, `)})
    select ${v.newId}, ${v.clientId}, ${v.domainId}, ${v.scope}, ${v.key}, ${v.revision}::int, ${v.modelId},
      ${v.modelVersion}, ${v.status}, ${v.role}, ${v.settings}::jsonb, ${v.metadata}::jsonb, ${v.actor}, ${v.reason},
      now(), now(), case when ${v.status} = 'archived' then now() end, ${v.restoredFrom}::int,
      ${v.changeRequestId}::uuid, ${v.bypass}
    from (select count(*) as archived from prev) p
    returning ${assignmentSelectList()}
  ), audit as (
    ${auditInsert(sql`ins`, {
      actor: sql`${v.actor}`,
      action: sql`${v.action}`,
      entityType: sql`'assignment'`,
      entityId: sql`${v.entityId}`,
      clientId: sql`${v.clientId}`,
      requestId: sql`${v.requestId}`,
      reason: sql`${v.reason}`,
      before: sql`(select to_jsonb(prev) from prev)`,
      after: sql`to_jsonb(ins)`,
      assignmentId: sql`ins.assignment_id`,
    })}
  )`;
  if (!touched)
    return sql`${head}
  select ins.*, '[]'::json as pinned from ins`;
  const w = { ...v, ...touched };
  return sql`${head}, patch as (
    select * from jsonb_to_recordset(${w.patches}::jsonb) as v(id text, before jsonb, after jsonb)
  ), upd as (
    update ${s} set ${c(s.providedFeatures)} = v.after, ${c(s.updatedAt)} = now()
    from patch v where ${s.clientId} = ${w.clientId} and ${s.domainId} = ${w.domainId} and ${s.id} = v.id
    returning ${s.id} as id
  ), patch_audit as (
    ${auditInsert(sql`patch v join upd on upd.id = v.id cross join ins`, {
      actor: sql`${w.actor}`,
      action: sql`'service.patch'`,
      entityType: sql`'service'`,
      entityId: sql`${w.servicePrefix} || v.id`,
      clientId: sql`${w.clientId}`,
      requestId: sql`${w.requestId}`,
      reason: sql`${w.reason}`,
      before: sql`jsonb_build_object('provided_features', v.before)`,
      after: sql`jsonb_build_object('provided_features', v.after)`,
      assignmentId: sql`ins.assignment_id`,
    })}
  ), pin as (
    insert into ${assignments} as a (${sql.join([...columns.slice(0, 16), a.pinnedBy].map(c), sql`, `)})
    select gen_random_uuid(), ${w.clientId}, ${w.domainId}, p.id, ${w.key},
      coalesce((select max(${r.revision}) from ${aliased(r)}
        where ${r.clientId} = ${w.clientId} and ${r.domainId} = ${w.domainId} and ${r.scope} = p.id and ${r.assignmentKey} = ${w.key}), 0) + 1,
      prev.model_id, prev.model_version, 'active', prev.role, prev.settings, prev.metadata, ${w.actor}, ${w.reason},
      now(), now(), ins.assignment_id
    from unnest(${w.pins}::text[]) as p(id) cross join prev cross join ins
    returning ${assignmentSelectList()}
  ), pin_audit as (
    ${auditInsert(sql`pin cross join ins`, {
      actor: sql`${w.actor}`,
      action: sql`'assignment.pin'`,
      entityType: sql`'assignment'`,
      entityId: sql`${w.servicePrefix} || pin.service_id || '/' || ${w.key}`,
      clientId: sql`${w.clientId}`,
      requestId: sql`${w.requestId}`,
      reason: sql`${w.reason}`,
      after: sql`to_jsonb(pin)`,
      assignmentId: sql`ins.assignment_id`,
    })}
  )
  select ins.*, coalesce((select json_agg(json_build_object('service_id', pin.service_id,
      'assignment_id', pin.assignment_id, 'model_id', pin.model_id, 'model_version', pin.model_version)
      order by pin.service_id) from pin), '[]'::json) as pinned
  from ins`;
}

const writeUpsert = prepared("upsert_write_v5", [...WRITE_VALUES, ...SERVICE_VALUES], (v) =>
  writeSql(v, v),
);
const writePlain = prepared("upsert_write_plain_v1", WRITE_VALUES, (v) => writeSql(v));

/**
 * The write's statement for this upsert: the prepared text with this request's values. A change request's apply
 * writes each of its changes with it, the revision carrying the request's id.
 */
export function writeStatement(
  input: Omit<UpsertInput, "ifMatch">,
  active: { assignment_id: string } | null,
  revision: number,
  patches: ServicePatch[],
  pins: PlannedPin[] = [],
  changeRequestId: string | null = null,
): Statement {
  const { clientId, domainId, key, body, actor, meta } = input;
  const scope = input.serviceId ?? "";
  const values = {
    activeId: active?.assignment_id ?? null,
    newId: randomUUID(),
    clientId,
    domainId,
    scope,
    key,
    revision,
    modelId: body.model_id,
    modelVersion: body.model_version,
    status: body.status,
    role: body.role ?? null,
    settings: JSON.stringify(body.settings),
    metadata: JSON.stringify(body.metadata),
    actor: actor.subject,
    reason: meta.reason ?? null,
    requestId: meta.requestId,
    restoredFrom: body.restored_from_revision ?? null,
    action: body.status === "archived" ? "assignment.retire" : "assignment.upsert",
    entityId: `${clientId}/${domainId}/${scope}/${key}`,
    changeRequestId,
    bypass: input.bypass ?? null,
  };
  if (patches.length === 0 && pins.length === 0) return writePlain(values);
  return writeUpsert({
    ...values,
    patches: JSON.stringify(patches),
    servicePrefix: `${clientId}/${domainId}/`,
    pins: pins.map((p) => p.service_id),
  });
}

/** The write's row: the new revision, and the services it pinned. */
type WrittenRow = AssignmentDbRow & { pinned: PinnedService[] };

const RESULT_BY_STATUS: Record<number, AssignmentWriteResult> = {
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  412: "precondition_failed",
  422: "rejected",
};

/** Upserts one assignment key and counts the outcome (metrics: by result, and 422s by reason). */
export async function upsertAssignment(
  database: Database,
  input: UpsertInput,
  options: UpsertOptions = {},
): Promise<UpsertOutcome> {
  try {
    const outcome = await writeAssignment(database, input, options);
    countAssignmentWrite(options.dryRun ? "dry_run" : outcome.written ? "written" : "unchanged");
    return outcome;
  } catch (error) {
    if (error instanceof ApiError)
      countAssignmentWrite(
        RESULT_BY_STATUS[error.status] ?? "error",
        error.status === 422 ? (error.reason ?? "other") : undefined,
      );
    else countAssignmentWrite("error");
    throw error;
  }
}

async function writeAssignment(
  database: Database,
  input: UpsertInput,
  { mode = "upsert", dryRun = false }: UpsertOptions,
): Promise<UpsertOutcome> {
  // service_updates change services: the caller needs services:write too, checked before anything is read.
  if ((input.body.service_updates?.length ?? 0) > 0 && !hasScope(input.actor, "services:write")) {
    throw forbidden(
      `This token or session lacks the "services:write" scope that service_updates need (they change services); ` +
        `send the assignment without service_updates, or use a caller with services:write as well as assignments:write`,
    );
  }
  // Two round trips on PostgreSQL: BEGIN + the locks + the context read, then the write + COMMIT.
  const opening = { locks: scopeLockStatement(input), read: contextStatement(input) };
  try {
    return await database.batchTransaction<UpsertOutcome, UpsertContext>(
      opening,
      async ({ opening: [context], run, finish }) => {
        // The domain's approval policy, read under the scope lock: a protected scope takes changes only through
        // change requests (or an all-clients admin's bypass); a dry run still answers.
        const requiredApprovals = context?.required_approvals ?? 0;
        assertDirectWrite({
          actor: input.actor,
          clientId: input.clientId,
          domainId: input.domainId,
          requiredApprovals,
          bypass: input.bypass ?? null,
          dryRun,
        });
        const plan = await planUpsert(run, input, { context });
        if (mode === "create" && plan.active) {
          throw conflict(
            `Assignment key "${input.key}" already has an active revision (${plan.active.assignment_id}); PUT to its keyed route to change it`,
          );
        }
        if (input.ifMatch && !etagMatches(input.ifMatch, plan.active)) {
          throw preconditionFailed(
            plan.active
              ? `The assignment changed since you read it: revision ${plan.active.revision} is active now, saved by ${formatActor(plan.active.created_by)} at ${readableTime(plan.active.created_at)}. Reload it and reapply your change.`
              : `The assignment has no active revision any more; reload it and reapply your change.`,
          );
        }
        if (plan.blocking.length > 0) {
          throw unprocessable(
            blockingMessage(plan.blocking, {
              kind: "assignment",
              modelId: input.body.model_id,
              version: input.body.model_version,
            }),
            { blocking_services: plan.blocking },
            "incompatible_features",
          );
        }
        if (plan.unchanged && mode === "upsert") {
          return {
            row: toAssignmentRow((plan.active ?? plan.latest)!),
            pinned: [],
            written: false,
          };
        }
        const revision = (plan.latest?.revision ?? 0) + 1;
        if (input.bypass && requiredApprovals > 0) {
          await run(
            bypassAuditStatement({
              ...input,
              bypass: input.bypass,
              requiredApprovals,
              what: `assignment ${input.clientId}/${input.domainId}/${input.serviceId ?? ""}/${input.key}`,
            }),
          );
        }
        const write = writeStatement(input, plan.active, revision, plan.patches, plan.pins);
        // A dry run writes inside the transaction and rolls it back, so it answers exactly what the write would.
        const [row] = dryRun ? await run<WrittenRow>(write) : await finish<WrittenRow>(write);
        if (!row) throw new Error("assignment insert returned no row");
        const outcome = { row: toAssignmentRow(row), pinned: row.pinned, written: true };
        if (dryRun) throw new DryRunRollback(outcome);
        return outcome;
      },
    );
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as UpsertOutcome;
    if (error instanceof ApiError) throw error;
    throw mapWriteError(error, input);
  }
}

function mapWriteError(error: unknown, input: UpsertInput): unknown {
  // The database's own guard against two active revisions (should never fire: the scope lock serialises writers).
  if (isUniqueViolation(error)) {
    return conflict(
      `Another write to assignment key "${input.key}" happened at the same time; retry the request`,
    );
  }
  // A restored_from_revision that names no revision of the key (planUpsert checks first; this is the backstop).
  if (pgConstraint(error).startsWith("assignments_restored_from")) {
    return unprocessable(
      `restored_from_revision ${input.body.restored_from_revision} names no earlier revision of key "${input.key}"`,
    );
  }
  return (
    retryableAbort(
      error,
      "The database aborted this write because of a concurrent one; retry the request",
    ) ?? error
  );
}
