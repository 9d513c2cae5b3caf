// Change requests (four eyes): open one (its changes decided now, the impact stored and hashed), edit it (every
// approval voided), review it (approving the impact hash the reviewer saw), apply it (decided again: a changed
// impact makes it stale and writes nothing; else every change in one transaction, exactly once), withdraw it.
// Every write runs in one transaction through the raw Query (the upsert's read and write need it), with statements
// built by Drizzle from the schema's tables; the request's row lock orders reviews and applies of one request.
import "server-only";
import { randomUUID } from "node:crypto";
import {
  and,
  desc,
  eq,
  getTableColumns,
  isNotNull,
  lt,
  lte,
  min,
  sql,
  type SQL,
} from "drizzle-orm";
import type { z } from "zod";
import { inQueryTransaction } from "@/db/dry-run";
import { toIso } from "@/db/iso";
import { changeRequestReviews, changeRequests, type ChangePolicy } from "@/db/schema";
import { runBuilt, runOnQuery, runTogether } from "@/db/statement";
import type { Database, Db, Query, Statement } from "@/db/types";
import { writeStatement } from "@/lib/server/assignments/upsert-assignment";
import { auditStatement } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import { scopeLockStatement } from "@/lib/server/locks";
import { assignmentPutBody } from "@/lib/schemas/assignments";
import type {
  ChangeImpact,
  ChangeRequest,
  changeRequestCreateBody,
  changeRequestListQuery,
  changeRequestPatchBody,
  ChangeRequestStatus,
  ChangeRequestSummary,
  reviewBody,
  StoredChange,
} from "@/lib/schemas/change-requests";
import { blockingMessage } from "@/lib/features/blocking-services";
import {
  ApiError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  preconditionFailed,
  unprocessable,
} from "@/lib/shared/errors";
import { hasScope, type Actor } from "@/lib/shared/scopes";
import {
  baseRevisionOf,
  impactHash,
  planChanges,
  type ChangeSpec,
  type PlannedChange,
} from "./plan-changes";
import { policiesByDomain, policiesQuery, type PolicyRow } from "./policy";
import { jsonEqual } from "@/lib/features/json-equal";
import { getHub } from "@/lib/server/changes/hub";
import { now } from "@/lib/server/clock";

/** A change_requests row as the raw Query returns it. */
type RequestRow = {
  id: string;
  client_id: string;
  number: number;
  title: string;
  description: string | null;
  apply_at: Date | string | null;
  status: ChangeRequestStatus;
  author: string;
  changes: StoredChange[];
  domain_ids: string[];
  impact_hash: string;
  round: number;
  required_approvals: number;
  allow_self_approval: boolean;
  status_reason: string | null;
  approved_impact: ChangeImpact[] | null;
  applied_at: Date | string | null;
  applied_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
};

type ReviewRow = {
  id: string;
  change_request_id: string;
  reviewer: string;
  decision: "approve" | "reject" | "comment";
  comment: string | null;
  impact_hash: string;
  round: number;
  at: Date | string;
};

type Input = { actor: Actor; meta: WriteMeta; clientId: string };
type Options = { dryRun?: boolean };

const iso = (v: Date | string | null) => (v === null ? null : toIso(v));

/** Counts now: an approval of the request as it stands, by someone other than the author unless allowed. */
function counts(request: RequestRow, review: ReviewRow): boolean {
  return (
    review.decision === "approve" &&
    review.round === request.round &&
    review.impact_hash === request.impact_hash &&
    (request.allow_self_approval || review.reviewer !== request.author)
  );
}

function approvalsOf(request: RequestRow, reviews: readonly ReviewRow[]): number {
  return new Set(reviews.filter((r) => counts(request, r)).map((r) => r.reviewer)).size;
}

/** A reject of the request as it stands (this round): it blocks until the author edits. */
function rejectedNow(request: RequestRow, reviews: readonly ReviewRow[]): boolean {
  return reviews.some((r) => r.decision === "reject" && r.round === request.round);
}

const isBlocked = (changes: readonly StoredChange[]) =>
  changes.some((c) => c.impact.blocking_services.length > 0);

function toSummaryFields(
  row: RequestRow,
  approvals: number,
): Omit<ChangeRequestSummary, "change_count"> {
  return {
    id: row.id,
    client_id: row.client_id,
    number: row.number,
    title: row.title,
    description: row.description,
    status: row.status,
    author: row.author,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
    apply_at: iso(row.apply_at),
    domain_ids: row.domain_ids,
    required_approvals: row.required_approvals,
    allow_self_approval: row.allow_self_approval,
    approvals,
    blocked: isBlocked(row.changes),
    impact_hash: row.impact_hash,
    status_reason: row.status_reason,
    applied_at: iso(row.applied_at),
    applied_by: row.applied_by,
  };
}

/** The one mapper of a request and its reviews to the wire shape. */
function toChangeRequest(row: RequestRow, reviews: readonly ReviewRow[]): ChangeRequest {
  return {
    ...toSummaryFields(row, approvalsOf(row, reviews)),
    approved_impact: row.approved_impact,
    changes: row.changes,
    reviews: reviews.map((r) => ({
      id: r.id,
      reviewer: r.reviewer,
      decision: r.decision,
      comment: r.comment,
      impact_hash: r.impact_hash,
      at: toIso(r.at),
      counts: counts(row, r),
    })),
  };
}

const requestNotFound = (clientId: string, id: string) =>
  notFound(`Change request "${id}" not found in client "${clientId}"`);

async function readRequest(
  db: Db,
  q: Query,
  clientId: string,
  id: string,
  lock = false,
): Promise<{ row: RequestRow; reviews: ReviewRow[] }> {
  const select = db
    .select()
    .from(changeRequests)
    .where(and(eq(changeRequests.clientId, clientId), eq(changeRequests.id, id)));
  const [row] = await runBuilt<RequestRow>(q, lock ? select.for("update") : select);
  if (!row) throw requestNotFound(clientId, id);
  const reviews = await runBuilt<ReviewRow>(
    q,
    db
      .select()
      .from(changeRequestReviews)
      .where(eq(changeRequestReviews.changeRequestId, id))
      .orderBy(changeRequestReviews.at, changeRequestReviews.id),
  );
  return { row, reviews };
}

/** One request with its changes, impact and reviews. */
export async function getChangeRequest(
  database: Database,
  input: { clientId: string; id: string },
): Promise<ChangeRequest> {
  const { row, reviews } = await readRequest(database.db, database.query, input.clientId, input.id);
  return toChangeRequest(row, reviews);
}

/** Approvals that count, as SQL over a change_requests row (for lists and filters). */
const approvalsSql = sql<number>`(select count(distinct r.reviewer)::int from ${changeRequestReviews} r
  where r.change_request_id = ${changeRequests.id} and r.decision = 'approve' and r.round = ${changeRequests.round}
  and r.impact_hash = ${changeRequests.impactHash}
  and (${changeRequests.allowSelfApproval} or r.reviewer <> ${changeRequests.author}))`;

/** A client's requests, newest first, with filters; `needs_review_by=me`: what awaits the caller's approval. */
export async function listChangeRequests(
  database: Database,
  input: { actor: Actor; clientId: string } & z.infer<typeof changeRequestListQuery>,
): Promise<{ items: ChangeRequestSummary[]; next_cursor: string | null }> {
  const { actor, clientId, limit } = input;
  const after = decodeCursor(input.cursor, ["number"]);
  const me = actor.subject;
  const conditions: (SQL | undefined)[] = [
    eq(changeRequests.clientId, clientId),
    input.status ? eq(changeRequests.status, input.status) : undefined,
    input.author ? eq(changeRequests.author, input.author) : undefined,
    input.domain_id
      ? sql`${changeRequests.domainIds} @> jsonb_build_array(${input.domain_id}::text)`
      : undefined,
    after ? lt(changeRequests.number, after[0] as number) : undefined,
  ];
  if (input.needs_review_by === "me") {
    if (!hasScope(actor, "assignments:write")) conditions.push(sql`false`);
    conditions.push(
      sql`${changeRequests.status} in ('open', 'stale')`,
      sql`(${changeRequests.allowSelfApproval} or ${changeRequests.author} <> ${me})`,
      sql`not exists (select 1 from ${changeRequestReviews} r where r.change_request_id = ${changeRequests.id}
        and r.reviewer = ${me} and r.round = ${changeRequests.round}
        and (r.decision = 'reject' or (r.decision = 'approve' and r.impact_hash = ${changeRequests.impactHash})))`,
    );
  }
  const rows = await runBuilt<RequestRow & { approvals: number; change_count: number }>(
    database.query,
    database.db
      .select({
        ...getTableColumns(changeRequests),
        approvals: sql<number>`${approvalsSql}`.as("approvals"),
        change_count: sql<number>`jsonb_array_length(${changeRequests.changes})`.as("change_count"),
      })
      .from(changeRequests)
      .where(and(...conditions))
      .orderBy(desc(changeRequests.number))
      .limit(limit + 1),
  );
  const page = pageOf(rows, limit, (r) => [r.number]);
  return {
    items: page.items.map((r) => ({
      ...toSummaryFields(r, Number(r.approvals)),
      change_count: Number(r.change_count),
    })),
    next_cursor: page.next_cursor,
  };
}

/** The changes of a body, parsed and with their base revisions as assignment ids. */
function specsOf(changes: z.infer<typeof changeRequestCreateBody>["changes"]): ChangeSpec[] {
  return changes.map((c) => ({
    domain_id: c.domain_id,
    service_id: c.service_id ?? null,
    assignment_key: c.assignment_key,
    body: c.body,
    if_match: baseRevisionOf(c.if_match),
  }));
}

/**
 * Decides the changes now and checks what opening (or editing) needs: changes that decide (a refusal is the
 * change's error, named), base revisions that are still active, the services:write scope for service patches.
 * Blocking services do not stop it: a blocked request can be reviewed, not applied.
 */
async function decideForRequest(
  q: Query,
  actor: Actor,
  clientId: string,
  specs: ChangeSpec[],
): Promise<PlannedChange[]> {
  if (
    specs.some((s) => (s.body.service_updates?.length ?? 0) > 0) &&
    !hasScope(actor, "services:write")
  )
    throw forbidden(
      'Some change has service_updates, which change services: this token or session lacks the "services:write" scope they need',
    );
  for (const spec of specs) {
    if (spec.body.assignment_key !== undefined && spec.body.assignment_key !== spec.assignment_key)
      throw badRequest(
        `A change's body names assignment_key "${spec.body.assignment_key}" but the change is for "${spec.assignment_key}"; omit it from the body`,
      );
  }
  const planned = await planChanges(q, clientId, specs);
  for (const [i, p] of planned.entries()) {
    const where = `changes[${i}] (domain "${p.spec.domain_id}"${p.spec.service_id ? `, service "${p.spec.service_id}"` : ""}, key "${p.spec.assignment_key}")`;
    const refusal = p.stored.impact.refusal;
    if (refusal) throw new ApiError(refusal.status, `${where}: ${refusal.message}`);
    if (p.spec.if_match !== null && p.spec.if_match !== p.stored.impact.base_assignment_id)
      throw preconditionFailed(
        `${where}: its base revision ${p.spec.if_match} is no longer the active one (${p.stored.impact.base_assignment_id ?? "none"}); reload it and reapply your change`,
      );
  }
  return planned;
}

/** The policy a request's domains ask for: the most approvals any of them requires; self-approval only if all allow. */
async function policyFor(
  q: Query,
  db: Db,
  clientId: string,
  domainIds: string[],
): Promise<ChangePolicy> {
  const policies = [...(await readPoliciesQ(q, db, clientId, domainIds)).values()];
  return {
    required_approvals: Math.max(0, ...policies.map((p) => p.required_approvals)),
    allow_self_approval: policies.every((p) => p.allow_self_approval),
  };
}

/** The domains' policies, through the raw Query (rows keyed as the builder's aliases, as Drizzle gives them). */
async function readPoliciesQ(q: Query, db: Db, clientId: string, domainIds: string[]) {
  return policiesByDomain(await runBuilt<PolicyRow>(q, policiesQuery(db, clientId, domainIds)));
}

const sortedDomains = (specs: readonly ChangeSpec[]) =>
  [...new Set(specs.map((s) => s.domain_id))].sort();

/** The audit entry of a request's event (one writer; the change feed fans it out to the request's domains). */
function eventAudit(
  db: Db,
  input: Input,
  row: Pick<RequestRow, "id" | "number" | "title" | "status" | "domain_ids" | "impact_hash">,
  event: string,
  extra: Record<string, unknown> = {},
) {
  return auditStatement(db, {
    actor: input.actor.subject,
    action: `change_request.${event}`,
    entityType: "change_request",
    entityId: `${input.clientId}/${row.id}`,
    clientId: input.clientId,
    requestId: input.meta.requestId,
    reason: input.meta.reason ?? null,
    after: {
      id: row.id,
      number: row.number,
      title: row.title,
      status: row.status,
      domain_ids: row.domain_ids,
      impact_hash: row.impact_hash,
      ...extra,
    },
  });
}

async function exec(q: Query, statement: Statement) {
  await runOnQuery(q)(statement);
}

/** What a scheduled change announces to the services it will move (effective reads and the change feed). */
export type Upcoming = {
  model_id: string;
  model_version: string;
  apply_at: string;
  change_request_id: string;
};

/**
 * A request that is approved and has `apply_at`: one `change_request.scheduled` event per change that writes
 * something, on its domain's feed, carrying the key, the service (a service's own change) and `upcoming`.
 */
async function announceScheduled(q: Query, db: Db, input: Input, row: RequestRow): Promise<void> {
  if (row.status !== "approved" || row.apply_at === null) return;
  for (const change of row.changes) {
    if (change.impact.unchanged) continue;
    const upcoming: Upcoming = {
      model_id: String(change.body.model_id),
      model_version: String(change.body.model_version),
      apply_at: toIso(row.apply_at),
      change_request_id: row.id,
    };
    await exec(
      q,
      eventAudit(db, input, { ...row, domain_ids: [change.domain_id] }, "scheduled", {
        assignment_key: change.assignment_key,
        service_id: change.service_id,
        upcoming,
      }),
    );
  }
}

/** `apply_at` must lie ahead: a time already past would apply the moment the request is approved, unannounced. */
function checkApplyAt(applyAt: string | null | undefined): void {
  if (!applyAt) return;
  if (new Date(applyAt).getTime() <= now().getTime())
    throw badRequest(
      `apply_at ${applyAt} is in the past (the server's time is ${now().toISOString()}); choose a later time, or omit it and apply by hand`,
      [{ path: "apply_at", message: "choose a time in the future" }],
    );
}

/**
 * After a request's write committed: this process's read caches of its domains ask the database again (read your
 * writes, as the route wrapper does for domain routes): its upcoming change appeared, moved or went.
 */
function forgetDomains(database: Database, clientId: string, domainIds: readonly string[]): void {
  const hub = getHub(database);
  for (const domainId of domainIds) hub.forget(clientId, domainId);
}

/**
 * Runs a write of a request in its own transaction (a dry run rolls it back) and, once it committed, forgets the
 * cached answers of the domains it touched (by default the request's own).
 */
async function writeRequest<T>(
  database: Database,
  clientId: string,
  options: Options,
  write: (q: Query) => Promise<T>,
  touched: (result: T) => readonly string[],
): Promise<T> {
  const result = await inQueryTransaction(database, options.dryRun, write);
  if (!options.dryRun) forgetDomains(database, clientId, touched(result));
  return result;
}

/** The write of one request in its own transaction, made from the form that runs in the caller's (…In). */
function onItsOwn<I extends Input>(
  writeIn: (q: Query, db: Db, input: I) => Promise<ChangeRequest>,
): (database: Database, input: I, options?: Options) => Promise<ChangeRequest> {
  return (database, input, options = {}) =>
    writeRequest(
      database,
      input.clientId,
      options,
      (q) => writeIn(q, database.db, input),
      (request) => request.domain_ids,
    );
}

/** Opens a request: its changes decided now, their impact stored and hashed; numbered per client. */
export const openChangeRequest = onItsOwn(openChangeRequestIn);

/**
 * Opens a request inside the caller's transaction (a rollout's wave opens one per client in its step's
 * transaction): the same checks and writes as POST …/change-requests. The caller forgets the domains' cached
 * answers after commit.
 */
export async function openChangeRequestIn(
  q: Query,
  db: Db,
  input: Input & { body: z.infer<typeof changeRequestCreateBody> },
): Promise<ChangeRequest> {
  const { actor, clientId, body } = input;
  const specs = specsOf(body.changes);
  checkApplyAt(body.apply_at);
  const planned = await decideForRequest(q, actor, clientId, specs);
  const domainIds = sortedDomains(specs);
  const policy = await policyFor(q, db, clientId, domainIds);
  const changes = planned.map((p) => p.stored);
  // Numbers per client, one after another: opens of one client take turns (the unique index backs it).
  await q(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`change-requests/${clientId}`]);
  const [{ next } = { next: 1 }] = await runBuilt<{ next: number }>(
    q,
    db
      .select({ next: sql<number>`coalesce(max(${changeRequests.number}), 0) + 1`.as("next") })
      .from(changeRequests)
      .where(eq(changeRequests.clientId, clientId)),
  );
  const [row] = await runBuilt<RequestRow>(
    q,
    db
      .insert(changeRequests)
      .values({
        id: randomUUID(),
        clientId,
        number: Number(next),
        title: body.title,
        description: body.description ?? null,
        applyAt: body.apply_at ? new Date(body.apply_at) : null,
        status: policy.required_approvals === 0 ? "approved" : "open",
        author: actor.subject,
        changes,
        domainIds,
        impactHash: impactHash(changes),
        requiredApprovals: policy.required_approvals,
        allowSelfApproval: policy.allow_self_approval,
      })
      .returning(),
  );
  await exec(q, eventAudit(db, input, row!, "opened", { change_count: changes.length }));
  await announceScheduled(q, db, input, row!);
  return toChangeRequest(row!, []);
}

const EDITABLE: readonly ChangeRequestStatus[] = ["open", "approved", "rejected", "stale"];

/** Edits a request (its author, while it is not applied, withdrawn or failed): every approval is voided. */
export async function editChangeRequest(
  database: Database,
  input: Input & { id: string; body: z.infer<typeof changeRequestPatchBody> },
  options: Options = {},
): Promise<ChangeRequest> {
  const { db } = database;
  const { actor, clientId, id, body } = input;
  checkApplyAt(body.apply_at);
  let domainsBefore: string[] = [];
  return writeRequest(
    database,
    clientId,
    options,
    async (q) => {
      const { row: before } = await readRequest(db, q, clientId, id, true);
      domainsBefore = before.domain_ids;
      if (before.author !== actor.subject)
        throw forbidden(
          `Only the author (${before.author}) edits change request #${before.number}; review it or comment instead`,
        );
      if (!EDITABLE.includes(before.status))
        throw conflict(
          `Change request #${before.number} is ${before.status}: it can no longer be edited; open a new one`,
        );
      let changes = before.changes;
      let domainIds = before.domain_ids;
      if (body.changes) {
        const specs = specsOf(body.changes);
        changes = (await decideForRequest(q, actor, clientId, specs)).map((p) => p.stored);
        domainIds = sortedDomains(specs);
      }
      const policy = await policyFor(q, db, clientId, domainIds);
      const [row] = await runBuilt<RequestRow>(
        q,
        db
          .update(changeRequests)
          .set({
            title: body.title ?? before.title,
            description: body.description === undefined ? before.description : body.description,
            applyAt:
              body.apply_at === undefined
                ? before.apply_at === null
                  ? null
                  : new Date(before.apply_at)
                : body.apply_at === null
                  ? null
                  : new Date(body.apply_at),
            changes,
            domainIds,
            impactHash: impactHash(changes),
            // Every review so far was of the request before this edit: none counts any more.
            round: before.round + 1,
            status: policy.required_approvals === 0 ? "approved" : "open",
            statusReason: null,
            approvedImpact: null,
            requiredApprovals: policy.required_approvals,
            allowSelfApproval: policy.allow_self_approval,
            updatedAt: sql`now()`,
          })
          .where(eq(changeRequests.id, id))
          .returning(),
      );
      await exec(q, eventAudit(db, input, row!, "edited", { voided_round: before.round }));
      await announceScheduled(q, db, input, row!);
      return toChangeRequest(row!, (await readRequest(db, q, clientId, id)).reviews);
    },
    (edited) => [...new Set([...domainsBefore, ...edited.domain_ids])],
  );
}

/** Reviews a request: approve, reject or comment, on the impact hash the reviewer saw. */
export const reviewChangeRequest = onItsOwn(reviewChangeRequestIn);

async function reviewChangeRequestIn(
  q: Query,
  db: Db,
  input: Input & { id: string; body: z.infer<typeof reviewBody> },
): Promise<ChangeRequest> {
  const { actor, clientId, id, body } = input;
  const { row, reviews } = await readRequest(db, q, clientId, id, true);
  if (!["open", "approved", "rejected", "stale"].includes(row.status))
    throw conflict(`Change request #${row.number} is ${row.status}: it takes no more reviews`);
  if (body.impact_hash !== row.impact_hash)
    throw new ApiError(
      409,
      `The impact of change request #${row.number} changed since you read it (it was edited or went stale): reload it and review what it does now`,
      { impact_hash: row.impact_hash },
    );
  if (body.decision !== "comment") {
    if (row.author === actor.subject && !row.allow_self_approval)
      throw forbidden(
        `You opened change request #${row.number}: someone else must ${body.decision} it (the policy does not allow self-approval)`,
      );
    if (body.decision === "reject" && !body.comment)
      throw badRequest("A reject needs a comment saying what to change", [
        { path: "comment", message: "say why you reject it" },
      ]);
    if (body.decision === "approve" && row.status === "rejected")
      throw conflict(
        `Change request #${row.number} was rejected: it can be approved once its author has edited it`,
      );
  } else if (!body.comment) {
    throw badRequest("A comment needs its text", [
      { path: "comment", message: "write the comment" },
    ]);
  }
  const [review] = await runBuilt<ReviewRow>(
    q,
    db
      .insert(changeRequestReviews)
      .values({
        id: randomUUID(),
        changeRequestId: id,
        reviewer: actor.subject,
        decision: body.decision,
        comment: body.comment ?? null,
        impactHash: body.impact_hash,
        round: row.round,
      })
      .returning(),
  );
  const all = [...reviews, review!];
  let status = row.status;
  if (body.decision === "reject") status = "rejected";
  else if (
    body.decision === "approve" &&
    !rejectedNow(row, all) &&
    approvalsOf(row, all) >= row.required_approvals
  )
    status = "approved";
  const [updated] =
    status === row.status
      ? [row]
      : await runBuilt<RequestRow>(
          q,
          db
            .update(changeRequests)
            .set({ status, statusReason: null, updatedAt: sql`now()` })
            .where(eq(changeRequests.id, id))
            .returning(),
        );
  await exec(
    q,
    eventAudit(db, input, updated!, "reviewed", {
      decision: body.decision,
      comment: body.comment ?? null,
    }),
  );
  if (status === "approved" && row.status !== "approved") {
    await exec(q, eventAudit(db, input, updated!, "approved"));
    await announceScheduled(q, db, input, updated!);
  }
  return toChangeRequest(updated!, all);
}

/** Withdraws a request (its author, or an admin). */
export const withdrawChangeRequest = onItsOwn(withdrawChangeRequestIn);

/** Withdraws a request inside the caller's transaction (a rollout stopping a wave whose request was not applied). */
export async function withdrawChangeRequestIn(
  q: Query,
  db: Db,
  input: Input & { id: string },
): Promise<ChangeRequest> {
  const { actor, clientId, id } = input;
  const { row, reviews } = await readRequest(db, q, clientId, id, true);
  if (row.author !== actor.subject && !hasScope(actor, "admin"))
    throw forbidden(
      `Only the author (${row.author}) or an admin withdraws change request #${row.number}`,
    );
  if (!EDITABLE.includes(row.status))
    throw conflict(`Change request #${row.number} is ${row.status}: it can't be withdrawn`);
  const [updated] = await runBuilt<RequestRow>(
    q,
    db
      .update(changeRequests)
      .set({ status: "withdrawn", updatedAt: sql`now()` })
      .where(eq(changeRequests.id, id))
      .returning(),
  );
  await exec(q, eventAudit(db, input, updated!, "withdrawn"));
  return toChangeRequest(updated!, reviews);
}

/** The changes of a stored request, as the plan takes them (the body parsed again: defaults are already in). */
function specsOfStored(changes: readonly StoredChange[]): ChangeSpec[] {
  return changes.map((c) => ({
    domain_id: c.domain_id,
    service_id: c.service_id,
    assignment_key: c.assignment_key,
    body: assignmentPutBody.parse(c.body),
    if_match: c.if_match,
  }));
}

/** A short account of what differs between the approved impact and the impact now, per change. */
function describeChanges(before: readonly StoredChange[], now: readonly StoredChange[]): string {
  const notes: string[] = [];
  now.forEach((c, i) => {
    const was = before[i]?.impact;
    const is = c.impact;
    if (!was || jsonEqual(was, is)) return;
    const where = `domain "${c.domain_id}"${c.service_id ? `, service "${c.service_id}"` : ""}, key "${c.assignment_key}"`;
    const what: string[] = [];
    if (was.base_assignment_id !== is.base_assignment_id)
      what.push(`its active revision changed (now ${is.base_assignment_id ?? "none"})`);
    if (!jsonEqual(was.moves, is.moves)) what.push("the services it moves changed");
    if (!jsonEqual(was.blocking_services, is.blocking_services))
      what.push(`blocking services changed (${is.blocking_services.length} now)`);
    if (!jsonEqual(was.contract_diff, is.contract_diff)) what.push("the contract diff changed");
    if (!jsonEqual(was.service_updates, is.service_updates))
      what.push("its service patches changed");
    if (is.refusal) what.push(`it can't be made now: ${is.refusal.message}`);
    notes.push(`${where}: ${what.length ? what.join("; ") : "its impact changed"}`);
  });
  return notes.join(". ");
}

export type ApplyOutcome = ChangeRequest;

/** Who applies: a caller pressing apply (refusals answer 4xx), or the scheduler at `apply_at` (refusals: `failed`). */
type ApplyMode = "manual" | "scheduled";

/** The request becomes `failed` with the reason (committed, nothing else written) and `change_request.failed` goes out. */
async function failRequest(
  q: Query,
  db: Db,
  input: Input,
  row: RequestRow,
  reviews: readonly ReviewRow[],
  reason: string,
): Promise<ChangeRequest> {
  const [failed] = await runBuilt<RequestRow>(
    q,
    db
      .update(changeRequests)
      .set({ status: "failed", statusReason: reason, updatedAt: sql`now()` })
      .where(eq(changeRequests.id, row.id))
      .returning(),
  );
  await exec(q, eventAudit(db, input, failed!, "failed", { reason }));
  return toChangeRequest(failed!, reviews);
}

/**
 * The one apply, inside the caller's transaction with the request's row locked: the policy checked again, the
 * domains' scope locks taken, every change decided again and compared with the approved impact; then every change
 * written, or (scheduled) the request marked failed with the reason, or (manual) stale / an error.
 */
async function applyLocked(
  q: Query,
  db: Db,
  input: Input & { id: string },
  row: RequestRow,
  reviews: ReviewRow[],
  mode: ApplyMode,
): Promise<{ request: ChangeRequest; error: ApiError | null }> {
  const { actor, clientId, id, meta } = input;
  const refuse = async (error: ApiError) => {
    if (mode === "manual") throw error;
    return {
      request: await failRequest(q, db, input, row, reviews, error.message),
      error: null,
    };
  };
  // The policy as it is now (it may have been raised since the request was opened), never less than at open.
  const policy = await policyFor(q, db, clientId, row.domain_ids);
  const required = Math.max(row.required_approvals, policy.required_approvals);
  const approvals = approvalsOf(
    { ...row, allow_self_approval: row.allow_self_approval && policy.allow_self_approval },
    reviews,
  );
  if (approvals < required || rejectedNow(row, reviews))
    return refuse(
      conflict(
        `Change request #${row.number} has ${approvals} of the ${required} approvals it needs; it can't be applied yet`,
      ),
    );

  // The domains' locks in their sorted order (the server takes them one after another), sent together.
  await runTogether(
    q,
    row.domain_ids.map((domainId) => scopeLockStatement({ clientId, domainId, serviceId: null })),
  );
  const planned = await planChanges(q, clientId, specsOfStored(row.changes));
  const decided = planned.map((p) => p.stored);
  const hash = impactHash(decided);
  if (hash !== row.impact_hash) {
    const reason = describeChanges(row.changes, decided);
    if (mode === "scheduled")
      return {
        request: await failRequest(
          q,
          db,
          input,
          row,
          reviews,
          `At its scheduled time the impact of change request #${row.number} differed from the approved one (${reason}); nothing was written`,
        ),
        error: null,
      };
    const [stale] = await runBuilt<RequestRow>(
      q,
      db
        .update(changeRequests)
        .set({
          status: "stale",
          statusReason: reason,
          approvedImpact: row.changes.map((c) => c.impact),
          changes: decided.map((c) => ({ ...c, if_match: c.impact.base_assignment_id })),
          impactHash: impactHash(
            decided.map((c) => ({ ...c, if_match: c.impact.base_assignment_id })),
          ),
          round: row.round + 1,
          updatedAt: sql`now()`,
        })
        .where(eq(changeRequests.id, id))
        .returning(),
    );
    await exec(q, eventAudit(db, input, stale!, "stale", { reason }));
    return {
      request: toChangeRequest(stale!, reviews),
      error: new ApiError(
        409,
        `Change request #${row.number} is stale: its impact changed since it was approved (${reason}); nothing was written. Review the impact as it is now and approve it again`,
        { status: "stale", impact_hash: stale!.impact_hash },
      ),
    };
  }
  const blocking = planned.flatMap((p) => p.stored.impact.blocking_services);
  if (blocking.length > 0) {
    const first = planned.find((p) => p.stored.impact.blocking_services.length > 0)!;
    return refuse(
      unprocessable(
        `Change request #${row.number} can't be applied while services block it: ` +
          blockingMessage(blocking, {
            kind: "assignment",
            modelId: first.spec.body.model_id,
            version: first.spec.body.model_version,
          }) +
          " Fix them in the request (edit it) and have it reviewed again",
        { blocking_services: blocking },
        "incompatible_features",
      ),
    );
  }

  const reason = meta.reason ?? `Change request #${row.number}: ${row.title}`.slice(0, 500);
  const changeMeta = { ...meta, reason };
  // Every change's write, sent together (one round trip on PostgreSQL): no write depends on another's answer.
  const writes = planned
    .filter((p) => !p.stored.impact.unchanged)
    .map((p) => {
      const { assignment_key: _key, ...body } = p.spec.body;
      return writeStatement(
        {
          clientId,
          domainId: p.spec.domain_id,
          serviceId: p.spec.service_id,
          key: p.spec.assignment_key,
          body,
          actor,
          meta: changeMeta,
        },
        p.active,
        (p.latest?.revision ?? 0) + 1,
        p.patches,
        p.pins,
        id,
      );
    });
  await runTogether(q, writes);
  const [applied] = await runBuilt<RequestRow>(
    q,
    db
      .update(changeRequests)
      .set({
        status: "applied",
        appliedAt: sql`now()`,
        appliedBy: actor.subject,
        statusReason: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(changeRequests.id, id), eq(changeRequests.status, "approved")))
      .returning(),
  );
  if (!applied) throw conflict(`Change request #${row.number} was applied at the same time`);
  await exec(q, eventAudit(db, { ...input, meta: changeMeta }, applied, "applied"));
  return { request: toChangeRequest(applied, reviews), error: null };
}

/**
 * Applies an approved request: its row locked (a concurrent apply waits, then finds it applied: 409), the
 * domains' scope locks taken, every change decided again. If the impact differs from the approved one, the request
 * becomes stale (committed, nothing else written) and the answer is 409; blocking services refuse it (422);
 * else every change is written here, in this one transaction, each revision carrying the request's id.
 */
export async function applyChangeRequest(
  database: Database,
  input: Input & { id: string },
  options: Options = {},
): Promise<ChangeRequest> {
  const { request, stale } = await writeRequest(
    database,
    input.clientId,
    options,
    (q) => applyChangeRequestIn(q, database.db, input),
    (applied) => applied.request.domain_ids,
  );
  if (stale) throw stale;
  return request;
}

/**
 * Applies a request inside the caller's transaction: the same checks, decision and writes as POST …/apply. A stale
 * request answers its committed stale state and the 409 to raise after commit (`stale`); other refusals throw.
 */
export async function applyChangeRequestIn(
  q: Query,
  db: Db,
  input: Input & { id: string },
): Promise<{ request: ChangeRequest; stale: ApiError | null }> {
  const { actor, clientId, id } = input;
  const { row, reviews } = await readRequest(db, q, clientId, id, true);
  if (row.author !== actor.subject && !hasScope(actor, "admin"))
    throw forbidden(
      `Only the author (${row.author}) or an admin applies change request #${row.number}`,
    );
  if (row.status === "applied")
    throw conflict(
      `Change request #${row.number} was already applied (by ${row.applied_by} at ${iso(row.applied_at)}); it applies once`,
    );
  if (row.status !== "approved")
    throw conflict(
      row.status === "stale"
        ? `Change request #${row.number} is stale: its impact changed since it was approved; it needs approval again`
        : `Change request #${row.number} is ${row.status}: only an approved request can be applied`,
    );
  const { request, error } = await applyLocked(q, db, input, row, reviews, "manual");
  return { request, stale: error };
}

/** The scheduler's subject: what history and the request's `applied_by` show for an apply at `apply_at`. */
export const SCHEDULER_SUBJECT = "scheduler";

const schedulerActor: Actor = {
  subject: SCHEDULER_SUBJECT,
  scopes: new Set(["admin"]),
  clients: "*",
  via: "token",
};

/**
 * The scheduler's step: claims one approved request whose `apply_at` has come (FOR UPDATE SKIP LOCKED: another
 * instance's step in progress is skipped, never waited for, never repeated) and applies it in the same transaction,
 * or marks it failed with the reason. Returns the client and domains it touched, or null when nothing is due.
 */
export async function applyNextDueChangeRequest(
  database: Database,
  at: Date,
): Promise<{ clientId: string; domainIds: string[]; status: ChangeRequestStatus } | null> {
  const { db } = database;
  let claimed: { id: string; client_id: string } | null = null;
  const step = () =>
    database.transaction(async (q) => {
      const [due] = await runBuilt<{ id: string; client_id: string }>(
        q,
        db
          .select({ id: changeRequests.id, client_id: changeRequests.clientId })
          .from(changeRequests)
          .where(
            and(
              eq(changeRequests.status, "approved"),
              isNotNull(changeRequests.applyAt),
              lte(changeRequests.applyAt, at),
            ),
          )
          .orderBy(changeRequests.applyAt)
          .limit(1)
          .for("update", { skipLocked: true }),
      );
      if (!due) return null;
      claimed = due;
      const { row, reviews } = await readRequest(db, q, due.client_id, due.id, true);
      const input = {
        actor: schedulerActor,
        meta: {
          requestId: `scheduler-${randomUUID()}`,
          reason:
            `Change request #${row.number}: ${row.title} (scheduled for ${iso(row.apply_at)})`.slice(
              0,
              500,
            ),
        },
        clientId: row.client_id,
        id: row.id,
      };
      const { request } = await applyLocked(q, db, input, row, reviews, "scheduled");
      return { clientId: row.client_id, domainIds: row.domain_ids, status: request.status };
    });
  let done: Awaited<ReturnType<typeof step>>;
  try {
    done = await step();
  } catch (error) {
    // A refusal the apply raised itself (an ApiError: it would refuse again) fails the request, so it does not
    // stay first in line forever; anything else (a lost connection) leaves it due for the next try.
    if (!(error instanceof ApiError) || claimed === null) throw error;
    const { id, client_id: clientId } = claimed;
    done = await database.transaction(async (q) => {
      const { row, reviews } = await readRequest(db, q, clientId, id, true);
      if (row.status !== "approved") return null;
      const input = {
        actor: schedulerActor,
        meta: { requestId: `scheduler-${randomUUID()}` },
        clientId,
        id,
      };
      const failed = await failRequest(q, db, input, row, reviews, error.message);
      return { clientId, domainIds: row.domain_ids, status: failed.status };
    });
  }
  if (done) forgetDomains(database, done.clientId, done.domainIds);
  return done;
}

/** The earliest `apply_at` of an approved request still to apply (the scheduler sleeps until then). */
export async function nextChangeRequestDue(database: Database): Promise<Date | null> {
  const [row] = await database.db
    .select({ at: min(changeRequests.applyAt) })
    .from(changeRequests)
    .where(and(eq(changeRequests.status, "approved"), isNotNull(changeRequests.applyAt)));
  return row?.at ? new Date(row.at) : null;
}
