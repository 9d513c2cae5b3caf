// The handlers shared by the domain default routes and the service assignment routes (same contract, two scopes).
import { getDatabase } from "@/db/client";
import { badRequest } from "@/lib/http/errors";
import { json, readJson, readQuery, type RouteContext } from "@/lib/http/route";
import { dryRunQuery, paginationQuery } from "@/lib/schemas/common";
import {
  assignmentListQuery,
  assignmentPostBody,
  assignmentPutBody,
  effectiveQuery,
} from "@/lib/schemas/assignments";
import { assignmentPath } from "./assignment-row";
import {
  getActiveAssignment,
  getEffectiveAssignment,
  listAssignments,
  listRevisions,
  type ScopeRef,
} from "./read-assignments";
import { planUpsert } from "./plan-upsert";
import { upsertAssignment } from "./upsert-assignment";

function scopeOf(ctx: RouteContext): ScopeRef {
  return {
    clientId: ctx.params.client_id!,
    domainId: ctx.params.domain_id!,
    serviceId: ctx.params.service_id ?? null,
  };
}

/** A PUT body may omit assignment_key or repeat the path's; anything else is a 400. */
function pathKeyAgreeing(ctx: RouteContext, bodyKey: string | undefined): string {
  const key = ctx.params.assignment_key!;
  if (bodyKey !== undefined && bodyKey !== key) {
    throw badRequest(
      `assignment_key "${bodyKey}" in the body disagrees with "${key}" in the path; omit it or make them equal`,
      [{ path: "assignment_key", message: `must equal the path's key "${key}"` }],
    );
  }
  return key;
}

const etag = (assignmentId: string) => `"${assignmentId}"`;

export async function listAssignmentsHandler(ctx: RouteContext): Promise<Response> {
  const query = readQuery(ctx, assignmentListQuery.extend(paginationQuery.shape));
  const { query: q } = await getDatabase();
  return json(await listAssignments(q, scopeOf(ctx), query));
}

export async function getAssignmentHandler(ctx: RouteContext): Promise<Response> {
  const { query: q } = await getDatabase();
  const row = await getActiveAssignment(q, scopeOf(ctx), ctx.params.assignment_key!);
  return json(row, { headers: { etag: etag(row.assignment_id) } });
}

export async function listRevisionsHandler(ctx: RouteContext): Promise<Response> {
  const query = readQuery(ctx, paginationQuery);
  const { query: q } = await getDatabase();
  return json(await listRevisions(q, scopeOf(ctx), ctx.params.assignment_key!, query));
}

export async function effectiveHandler(ctx: RouteContext): Promise<Response> {
  const { at } = readQuery(ctx, effectiveQuery);
  const { query: q } = await getDatabase();
  const scope = scopeOf(ctx);
  return json(
    await getEffectiveAssignment(
      q,
      { ...scope, serviceId: scope.serviceId! },
      ctx.params.assignment_key!,
      at,
    ),
  );
}

export async function putAssignmentHandler(ctx: RouteContext): Promise<Response> {
  const { dry_run } = readQuery(ctx, dryRunQuery);
  const body = await readJson(ctx, assignmentPutBody);
  const key = pathKeyAgreeing(ctx, body.assignment_key);
  const database = await getDatabase();
  const { row } = await upsertAssignment(database, {
    ...scopeOf(ctx),
    key,
    body,
    actor: ctx.actor,
    requestId: ctx.requestId,
    reason: ctx.reason,
    mode: "upsert",
    ifMatch: ctx.request.headers.get("if-match"),
    dryRun: dry_run ?? false,
  });
  return json(row, { headers: row.status === "active" ? { etag: etag(row.assignment_id) } : {} });
}

export async function postAssignmentHandler(ctx: RouteContext): Promise<Response> {
  const { dry_run } = readQuery(ctx, dryRunQuery);
  const body = await readJson(ctx, assignmentPostBody);
  const scope = scopeOf(ctx);
  const database = await getDatabase();
  const { row } = await upsertAssignment(database, {
    ...scope,
    key: body.assignment_key,
    body,
    actor: ctx.actor,
    requestId: ctx.requestId,
    reason: ctx.reason,
    mode: "create",
    dryRun: dry_run ?? false,
  });
  const headers: Record<string, string> = {
    location: assignmentPath(scope.clientId, scope.domainId, scope.serviceId, body.assignment_key),
  };
  if (row.status === "active") headers.etag = etag(row.assignment_id);
  return json(row, { status: 201, headers });
}

export async function previewHandler(ctx: RouteContext): Promise<Response> {
  const body = await readJson(ctx, assignmentPutBody);
  const key = pathKeyAgreeing(ctx, body.assignment_key);
  const { query: q } = await getDatabase();
  const plan = await planUpsert(q, { ...scopeOf(ctx), key }, body);
  return json({
    compatible: plan.blocking.length === 0,
    blocking_services: plan.blocking,
    changes: plan.changes,
  });
}
