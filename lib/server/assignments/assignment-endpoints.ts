// The handlers shared by the domain default routes and the service assignment routes (same contract, two scopes).
import "server-only";
import { getDatabase } from "@/lib/server/database";
import { badRequest } from "@/lib/shared/errors";
import { json, readJson, readQuery, type RouteContext } from "@/lib/server/http/route";
import { dryRunQuery, paginationQuery } from "@/lib/schemas/common";
import {
  assignmentListQuery,
  assignmentPostBody,
  assignmentPutBody,
  effectiveQuery,
} from "@/lib/schemas/assignments";
import { assignmentPath } from "./assignment-row";
import { cachedRead, contentEtag } from "@/lib/server/http/conditional";
import { domainEffectiveQuery } from "@/lib/schemas/changes";
import { readDomainEffective } from "./domain-effective";
import {
  readActiveAssignment,
  readEffectiveAssignment,
  listAssignments,
  listRevisions,
  type ScopeRef,
} from "./read-assignments";
import { previewUpsert } from "./plan-upsert";
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
  return json(await listAssignments(await getDatabase(), scopeOf(ctx), query));
}

export async function getAssignmentHandler(ctx: RouteContext): Promise<Response> {
  const scope = scopeOf(ctx);
  const key = ctx.params.assignment_key!;
  return cachedRead(
    ctx.request,
    {
      clientId: scope.clientId,
      domainId: scope.domainId,
      cacheKey: `assignment|${scope.clientId}|${scope.domainId}|${scope.serviceId ?? ""}|${key}`,
    },
    async (database) => {
      const { row, version } = await readActiveAssignment(database, { ...scope, key });
      return { version, etag: etag(row.assignment_id), body: JSON.stringify(row) };
    },
  );
}

export async function listRevisionsHandler(ctx: RouteContext): Promise<Response> {
  const query = readQuery(ctx, paginationQuery);
  const ref = { ...scopeOf(ctx), key: ctx.params.assignment_key! };
  return json(await listRevisions(await getDatabase(), ref, query));
}

export async function effectiveHandler(ctx: RouteContext): Promise<Response> {
  const { at } = readQuery(ctx, effectiveQuery);
  const scope = scopeOf(ctx);
  const key = ctx.params.assignment_key!;
  const serviceId = scope.serviceId!;
  return cachedRead(
    ctx.request,
    {
      clientId: scope.clientId,
      domainId: scope.domainId,
      // A past time's answer is read each time (no cache), but still carries its ETag.
      cacheKey: at ? null : `effective|${scope.clientId}|${scope.domainId}|${serviceId}|${key}`,
    },
    async (database) => {
      const { row, version } = await readEffectiveAssignment(
        database,
        { ...scope, serviceId, key },
        { at },
      );
      const body = JSON.stringify(row);
      return { version, etag: contentEtag(body), body };
    },
  );
}

/** Every active service's effective assignment for the key, a page of up to 10,000. */
export async function domainEffectiveHandler(ctx: RouteContext): Promise<Response> {
  const options = readQuery(ctx, domainEffectiveQuery);
  const scope = scopeOf(ctx);
  const key = ctx.params.assignment_key!;
  return cachedRead(
    ctx.request,
    {
      clientId: scope.clientId,
      domainId: scope.domainId,
      cacheKey: `domain-effective|${scope.clientId}|${scope.domainId}|${key}|${options.limit}|${options.cursor ?? ""}`,
    },
    (database) => readDomainEffective(database, { ...scope, key }, options),
  );
}

export async function putAssignmentHandler(ctx: RouteContext): Promise<Response> {
  const { dry_run } = readQuery(ctx, dryRunQuery);
  const body = await readJson(ctx, assignmentPutBody);
  const key = pathKeyAgreeing(ctx, body.assignment_key);
  const database = await getDatabase();
  const { row } = await upsertAssignment(
    database,
    {
      ...scopeOf(ctx),
      key,
      body,
      actor: ctx.actor,
      meta: ctx,
      ifMatch: ctx.request.headers.get("if-match"),
    },
    { mode: "upsert", dryRun: dry_run ?? false },
  );
  return json(row, { headers: row.status === "active" ? { etag: etag(row.assignment_id) } : {} });
}

export async function postAssignmentHandler(ctx: RouteContext): Promise<Response> {
  const { dry_run } = readQuery(ctx, dryRunQuery);
  const body = await readJson(ctx, assignmentPostBody);
  const scope = scopeOf(ctx);
  const database = await getDatabase();
  const { row } = await upsertAssignment(
    database,
    { ...scope, key: body.assignment_key, body, actor: ctx.actor, meta: ctx },
    { mode: "create", dryRun: dry_run ?? false },
  );
  const headers: Record<string, string> = {
    location: assignmentPath(scope.clientId, scope.domainId, scope.serviceId, body.assignment_key),
  };
  if (row.status === "active") headers.etag = etag(row.assignment_id);
  return json(row, { status: 201, headers });
}

export async function previewHandler(ctx: RouteContext): Promise<Response> {
  const body = await readJson(ctx, assignmentPutBody);
  const key = pathKeyAgreeing(ctx, body.assignment_key);
  return json(await previewUpsert(await getDatabase(), { ...scopeOf(ctx), key, body }));
}
