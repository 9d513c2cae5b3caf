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
  pgErrorCode,
  preconditionFailed,
  unprocessable,
} from "@/lib/shared/errors";
import type { Assignment } from "@/lib/schemas/assignments";
import { ASSIGNMENT_COLUMNS, toAssignmentRow, type AssignmentDbRow } from "./assignment-row";
import { auditInsertSql } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import { scopeLockStatement } from "@/lib/server/locks";
import { DryRunRollback } from "@/db/dry-run";
import {
  countAssignmentWrite,
  type AssignmentWriteResult,
} from "@/lib/server/observability/metrics.mjs";
import { toIso } from "@/db/iso";
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

export type UpsertOutcome = { row: Assignment; written: boolean };

/** `2026-11-30T04:52:07.123Z` → `2026-11-30 04:52:07 UTC`: a time a person reads in an error message. */
function readableTime(value: Date | string): string {
  return toIso(value)
    .replace("T", " ")
    .replace(/(\.\d+)?Z$/, " UTC");
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

// One statement: archive the active revision, insert the new one, apply the service patches ($17, a JSON array of
// { id, before, after }; empty for most writes) and write the audit rows. Every audit row carries the new
// revision's assignment_id, so history shows which service changes went in with which revision. The insert reads
// the archive's row count, which makes PostgreSQL finish the archive before inserting, so the partial unique
// index (one active revision per key) never sees two active rows.
const WRITE_SQL = `with prev as (
    update assignments a set status = 'archived', updated_at = now(), active_until = now()
    where a.assignment_id = $1 and a.status = 'active'
    returning ${ASSIGNMENT_COLUMNS}
  ), ins as (
    insert into assignments as a (assignment_id, client_id, domain_id, scope, assignment_key, revision, model_id,
      model_version, status, role, settings, metadata, created_by, change_reason, created_at, updated_at,
      active_until, restored_from_revision, change_request_id, approval_bypass)
    select $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14, $18, now(), now(),
      case when $10 = 'archived' then now() end, $16::int, $19::uuid, $20
    from (select count(*) as archived from prev) p
    returning ${ASSIGNMENT_COLUMNS}
  ), audit as (
    ${auditInsertSql("ins", {
      actor: "$14",
      action: "case when $10 = 'archived' then 'assignment.retire' else 'assignment.upsert' end",
      entityType: "'assignment'",
      entityId: "$3 || '/' || $4 || '/' || $5 || '/' || $6",
      clientId: "$3",
      requestId: "$15",
      reason: "$18",
      before: "(select to_jsonb(prev) from prev)",
      after: "to_jsonb(ins)",
      assignmentId: "ins.assignment_id",
    })}
  ), patch as (
    select * from jsonb_to_recordset($17::jsonb) as v(id text, before jsonb, after jsonb)
  ), upd as (
    update services s set provided_features = v.after, updated_at = now()
    from patch v where s.client_id = $3 and s.domain_id = $4 and s.id = v.id
    returning s.id
  ), patch_audit as (
    ${auditInsertSql("patch v join upd on upd.id = v.id cross join ins", {
      actor: "$14",
      action: "'service.patch'",
      entityType: "'service'",
      entityId: "$3 || '/' || $4 || '/' || v.id",
      clientId: "$3",
      requestId: "$15",
      reason: "$18",
      before: "jsonb_build_object('provided_features', v.before)",
      after: "jsonb_build_object('provided_features', v.after)",
      assignmentId: "ins.assignment_id",
    })}
  )
  select * from ins`;

/**
 * The write: one statement, prepared once per connection (PostgreSQL keeps its parse and plan). A change request's
 * apply writes each of its changes with it, the revision carrying the request's id.
 */
export function writeStatement(
  input: Omit<UpsertInput, "ifMatch">,
  active: { assignment_id: string } | null,
  revision: number,
  patches: ServicePatch[],
  changeRequestId: string | null = null,
): Statement {
  const { clientId, domainId, serviceId, key, body, actor, meta } = input;
  return {
    name: "upsert_write_v2",
    text: WRITE_SQL,
    params: [
      active?.assignment_id ?? null,
      randomUUID(),
      clientId,
      domainId,
      serviceId ?? "",
      key,
      revision,
      body.model_id,
      body.model_version,
      body.status,
      body.role ?? null,
      JSON.stringify(body.settings),
      JSON.stringify(body.metadata),
      actor.subject,
      meta.requestId,
      body.restored_from_revision ?? null,
      JSON.stringify(patches),
      meta.reason ?? null,
      changeRequestId,
      input.bypass ?? null,
    ],
  };
}

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
      async ({ opening: [context], q, finish }) => {
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
        const plan = await planUpsert(q, input, { context });
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
          return { row: toAssignmentRow((plan.active ?? plan.latest)!), written: false };
        }
        const revision = (plan.latest?.revision ?? 0) + 1;
        if (input.bypass && requiredApprovals > 0) {
          const audit = bypassAuditStatement({
            ...input,
            bypass: input.bypass,
            requiredApprovals,
            what: `assignment ${input.clientId}/${input.domainId}/${input.serviceId ?? ""}/${input.key}`,
          });
          await q(audit.text, audit.params);
        }
        const write = writeStatement(input, plan.active, revision, plan.patches);
        // A dry run writes inside the transaction and rolls it back, so it answers exactly what the write would.
        const [row] = dryRun
          ? await q<AssignmentDbRow>(write.text, write.params, write.name)
          : await finish<AssignmentDbRow>(write);
        if (!row) throw new Error("assignment insert returned no row");
        const outcome = { row: toAssignmentRow(row), written: true };
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
  const code = pgErrorCode(error);
  if (code === "40P01" || code === "40001") {
    return new ApiError(
      503,
      "The database aborted this write because of a concurrent one; retry the request",
      {},
      { "retry-after": "1" },
    );
  }
  return error;
}
