// Assignments: the domain defaults and the service assignments (one contract at two scopes), a revision by id,
// the keys in use and the change feed. The seed PUT and the effective reads are the hot path: each reads its
// params, query and body once (defineOperation) and answers from the cached read where there is one.
import { assignmentEtag } from "@/lib/shared/assignment-etag";
import "server-only";
import type { z } from "zod";
import type { Database } from "@/db/types";
import { listAssignmentKeys as readAssignmentKeys } from "@/lib/server/assignments/assignment-keys";
import { readDomainEffective } from "@/lib/server/assignments/domain-effective";
import { previewUpsert } from "@/lib/server/assignments/plan-upsert";
import {
  getAssignmentById,
  listAssignments,
  listRevisions,
  readActiveAssignment,
  readEffectiveAssignment,
  type ScopeRef,
} from "@/lib/server/assignments/read-assignments";
import { upsertAssignment } from "@/lib/server/assignments/upsert-assignment";
import { changesHandler } from "@/lib/server/changes/endpoints";
import { APPROVAL_BYPASS_HEADER, parseApprovalBypass } from "@/lib/server/change-requests/policy";
import { answerResponse, cachedRead, contentEtag } from "@/lib/server/http/conditional";
import {
  created,
  defineOperation,
  type OperationContext,
  type OperationSpec,
  type PathParams,
} from "@/lib/server/http/operation";
import { json } from "@/lib/server/http/route";
import { assignmentKeyList } from "@/lib/schemas/assignment-keys";
import {
  assignmentListQuery,
  assignmentPostBody,
  assignmentPutBody,
  assignmentRevision,
  domainAssignmentPostBody,
  domainAssignmentPutBody,
  domainAssignmentWrite,
  assignmentRow,
  effectiveAssignment,
  effectiveQuery,
  previewResponse,
} from "@/lib/schemas/assignments";
import {
  changePage,
  changesQuery,
  domainEffectivePage,
  domainEffectiveQuery,
} from "@/lib/schemas/changes";
import { page, paginationQuery } from "@/lib/schemas/common";
import { badRequest } from "@/lib/shared/errors";
import { family, ids } from "./define";
import { ERROR_DESCRIPTIONS } from "./shared";

const DOMAIN_BASE = "/v2/clients/{client_id}/domains/{domain_id}/assignments";
const SERVICE_BASE = "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments";

const assignmentPage = page(assignmentRow, "AssignmentPage");
const revisionPage = page(assignmentRevision, "AssignmentRevisionPage");
const listAssignmentsQuery = assignmentListQuery.extend(paginationQuery.shape);

// The seed page's example names svc-001 on service-1's route, which that route refuses (400: a service route patches
// only its own service), so the example patches the path's service instead.
const SEED_EXAMPLE = {
  model_id: "example-model",
  model_version: "2.0.0",
  service_updates: [{ service_id: "service-1", static_features: { route: "route-a" } }],
};

type AssignmentScope = "service" | "domain";
type Docs = Omit<OperationSpec, "path" | "query" | "body">;

/** The documentation the two scopes share, worded for one of them. */
function assignmentDocs(scope: AssignmentScope) {
  const isService = scope === "service";
  const tag = isService ? "Service assignments" : "Domain default assignments";
  const noun = isService ? "service assignment" : "domain default assignment";
  const Noun = isService ? "Service assignment" : "Domain default assignment";
  const id = (verb: string) =>
    `${verb}${isService ? "ServiceAssignment" : "DomainDefaultAssignment"}`;
  const appliesTo = isService
    ? "It applies to the path's service only; `service_updates` may name only that service."
    : "It applies to every non-departed service of the domain without its own active assignment for the key; `service_updates` may name any of them.";
  const serviceUpdatesScope =
    " Where the domain's `change_policy` requires approvals, a direct write answers 403 naming the change-request route (a dry run still answers; an admin with access to every client may send `X-Approval-Bypass: <reason>`, audited)." +
    " A body whose `service_updates` is not empty changes services: it needs `services:write` as well as `assignments:write` (else 403, nothing written)." +
    (isService
      ? ""
      : " `pin_services` keeps the listed services on the default they run now (each gets its own assignment for the key, pinned by this revision; listed in the answer's `pinned`); `service_updates` and `pin_services` each take up to 10,000 entries, and the body may be up to 16 MiB.");
  const written = isService ? assignmentRow : domainAssignmentWrite;
  return {
    list: {
      method: "GET",
      operationId: id("list") + "s",
      tag,
      summary: `List ${noun}s`,
      description:
        "Active revisions by default; `?status=archived|all` for history. Sorted by key, newest revision first.",
      scope: "assignments:read",
      success: { 200: { description: `A page of ${noun} revisions`, schema: assignmentPage } },
    },
    create: {
      method: "POST",
      operationId: id("create"),
      tag,
      summary: `Create the first revision of a ${noun}`,
      description: `\`assignment_key\` is required in the body. ${appliesTo}${serviceUpdatesScope} Checked like the keyed PUT; 409 if the key already has an active revision.`,
      scope: "assignments:write",
      dryRun: true,
      success: {
        201: {
          description: `${Noun} created`,
          schema: written,
          headers: ["Location", "ETag"],
        },
      },
      errors: {
        409: "The assignment key already has an active revision; PUT to its keyed route to change it.",
        422: ERROR_DESCRIPTIONS[422],
      },
      blocking422: true,
    },
    get: {
      method: "GET",
      operationId: id("get"),
      tag,
      summary: `Get the active revision of a ${noun}`,
      description:
        "The ETag header names the revision; send it back in If-Match on a PUT, or in If-None-Match to get a 304 while it is still the active one.",
      scope: "assignments:read",
      ifNoneMatch: true,
      success: {
        200: { description: "The active revision", schema: assignmentRow, headers: ["ETag"] },
      },
      errors: { 404: "Requested resource was not found, or the key has no active revision." },
    },
    upsert: {
      method: "PUT",
      operationId: id("upsert"),
      tag,
      summary: isService
        ? "Create or update a service model assignment by key"
        : "Create or update a domain default model assignment by key",
      description:
        `Archives the previous active revision and inserts a new one in one transaction; a request that changes nothing returns the active revision and writes nothing. ${appliesTo}${serviceUpdatesScope} ` +
        "Every incompatible service is listed in the 422's `blocking_services`, and nothing is written.",
      scope: "assignments:write",
      dryRun: true,
      ifMatch: true,
      success: {
        200: { description: `${Noun} upserted`, schema: written, headers: ["ETag"] },
      },
      errors: {
        409: "Another write to the same assignment key happened at the same time; retry the request.",
        422: ERROR_DESCRIPTIONS[422],
      },
      blocking422: true,
    },
    revisions: {
      method: "GET",
      operationId: id("listRevisionsOf"),
      tag,
      summary: `List every revision of a ${noun} key, newest first`,
      description:
        "Archived revisions included, each with its revision number, author and time: the key's history.",
      scope: "assignments:read",
      success: {
        200: {
          description:
            "A page of revisions, archived ones included, each with the service patches written with it",
          schema: revisionPage,
        },
      },
    },
  } as const satisfies Record<string, Docs>;
}

const serviceOps = family("Service assignments");
const domainOps = family("Domain default assignments");
const assignmentOps = family("Assignments");
const changeFeed = family("Change feed");

const serviceDocs = assignmentDocs("service");
const domainDocs = assignmentDocs("domain");

type ScopeParams = PathParams<typeof DOMAIN_BASE> & { service_id?: string };

function scopeOf(params: ScopeParams): ScopeRef {
  return {
    clientId: params.client_id,
    domainId: params.domain_id,
    serviceId: params.service_id ?? null,
  };
}

/** A PUT body may omit assignment_key or repeat the path's; anything else is a 400. */
function pathKeyAgreeing(key: string, bodyKey: string | undefined): string {
  if (bodyKey !== undefined && bodyKey !== key) {
    throw badRequest(
      `assignment_key "${bodyKey}" in the body disagrees with "${key}" in the path; omit it or make them equal`,
      [{ path: "assignment_key", message: `must equal the path's key "${key}"` }],
    );
  }
  return key;
}

type KeyParams = ScopeParams & { assignment_key: string };
type Ctx<Q, B> = OperationContext<string, Q, B> & { params: KeyParams };

async function list(
  db: Database,
  params: ScopeParams,
  query: z.infer<typeof listAssignmentsQuery>,
): Promise<Response> {
  return json(await listAssignments(db, scopeOf(params), query));
}

async function create(
  ctx: Omit<Ctx<undefined, z.infer<typeof domainAssignmentPostBody>>, "params"> & {
    params: ScopeParams;
  },
): Promise<Response> {
  const { db, params, body, actor, meta, dryRun, request } = ctx;
  const scope = scopeOf(params);
  const bypass = parseApprovalBypass(request.headers.get(APPROVAL_BYPASS_HEADER));
  const { row, pinned } = await upsertAssignment(
    db,
    { ...scope, key: body.assignment_key, body, actor, meta, bypass },
    { mode: "create", dryRun },
  );
  const headers: Record<string, string> =
    row.status === "active" ? { etag: assignmentEtag(row.assignment_id) } : {};
  const key = { ...params, assignment_key: body.assignment_key };
  return scope.serviceId === null
    ? created(getDomainDefaultAssignment, key, { ...row, pinned }, headers)
    : created(getServiceAssignment, { ...key, service_id: scope.serviceId }, row, headers);
}

/**
 * A read of the path's domain through its answer cache: `kind` and `parts` after the client and domain make the cache
 * key (a missing part is empty); null `parts` reads each time, without the cache.
 */
function domainRead(
  request: Request,
  scope: ScopeRef,
  kind: string,
  parts: readonly (string | number | null | undefined)[] | null,
  load: Parameters<typeof cachedRead>[2],
): Promise<Response> {
  const { clientId, domainId } = scope;
  const cacheKey = parts && [kind, clientId, domainId, ...parts].join("|");
  return cachedRead(request, { clientId, domainId, cacheKey }, load);
}

function getActive(request: Request, params: KeyParams): Promise<Response> {
  const scope = scopeOf(params);
  const key = params.assignment_key;
  return domainRead(request, scope, "assignment", [scope.serviceId, key], async (database) => {
    const { row, version } = await readActiveAssignment(database, { ...scope, key });
    return { version, etag: assignmentEtag(row.assignment_id), body: JSON.stringify(row) };
  });
}

async function upsert(
  ctx: Ctx<undefined, z.infer<typeof domainAssignmentPutBody>>,
): Promise<Response> {
  const { db, params, body, actor, meta, dryRun, request } = ctx;
  const key = pathKeyAgreeing(params.assignment_key, body.assignment_key);
  const scope = scopeOf(params);
  const { row, pinned } = await upsertAssignment(
    db,
    {
      ...scope,
      key,
      body,
      actor,
      meta,
      ifMatch: request.headers.get("if-match"),
      bypass: parseApprovalBypass(request.headers.get(APPROVAL_BYPASS_HEADER)),
    },
    { mode: "upsert", dryRun },
  );
  return json(scope.serviceId === null ? { ...row, pinned } : row, {
    headers: row.status === "active" ? { etag: assignmentEtag(row.assignment_id) } : {},
  });
}

async function revisions(
  db: Database,
  params: KeyParams,
  query: z.infer<typeof paginationQuery>,
): Promise<Response> {
  return json(await listRevisions(db, { ...scopeOf(params), key: params.assignment_key }, query));
}

/** The bodies of one scope's writes: the service route's, or the domain default's (with pin_services). */
type ScopeBodies = {
  put: typeof assignmentPutBody | typeof domainAssignmentPutBody;
  post: typeof assignmentPostBody | typeof domainAssignmentPostBody;
  /** The largest body the writes read (the default 1 MiB when absent). */
  maxBytes?: number;
};

/**
 * The domain default's writes and preview take service_updates and pin_services of up to 10,000 entries each: a
 * body of up to 16 MiB (docs/decisions/080-pinning-blocking-services.md).
 */
export const DOMAIN_WRITE_MAX_BYTES = 16 * 1024 * 1024;

/** The five operations on one scope's assignment keys: a service's own, or the domain default's. */
function keyOperations<const B extends string>(
  base: B,
  docs: ReturnType<typeof assignmentDocs>,
  bodies: ScopeBodies,
  upsertExample?: unknown,
) {
  const maxBytes = bodies.maxBytes === undefined ? {} : { maxBytes: bodies.maxBytes };
  // The base's parameters are the scope's (defineRoute has checked them); the key is the last segment.
  const scope = (params: unknown) => params as ScopeParams;
  const key = (params: unknown) => params as KeyParams;
  return {
    list: defineOperation({
      ...docs.list,
      path: base,
      query: listAssignmentsQuery,
      handler: ({ db, params, query }) => list(db, scope(params), query),
    }),
    create: defineOperation({
      ...docs.create,
      path: base,
      body: { schema: bodies.post, ...maxBytes },
      handler: (ctx) => create({ ...ctx, params: scope(ctx.params) }),
    }),
    get: defineOperation({
      ...docs.get,
      path: `${base}/{assignment_key}`,
      database: false,
      handler: ({ request, params }) => getActive(request, key(params)),
    }),
    upsert: defineOperation({
      ...docs.upsert,
      path: `${base}/{assignment_key}`,
      body: {
        schema: bodies.put,
        ...maxBytes,
        ...(upsertExample === undefined ? {} : { example: upsertExample }),
      },
      handler: (ctx) => upsert({ ...ctx, params: key(ctx.params) }),
    }),
    revisions: defineOperation({
      ...docs.revisions,
      path: `${base}/{assignment_key}/revisions`,
      query: paginationQuery,
      handler: ({ db, params, query }) => revisions(db, key(params), query),
    }),
  };
}

const serviceKeys = keyOperations(
  SERVICE_BASE,
  serviceDocs,
  { put: assignmentPutBody, post: assignmentPostBody },
  SEED_EXAMPLE,
);
export const {
  list: listServiceAssignments,
  create: createServiceAssignment,
  get: getServiceAssignment,
  upsert: upsertServiceAssignment,
  revisions: listRevisionsOfServiceAssignment,
} = serviceKeys;

export const getEffectiveAssignment = serviceOps.responding("GET", {
  path: `${SERVICE_BASE}/{assignment_key}/effective`,
  operationId: "getEffectiveAssignment",
  summary: "Get the effective assignment of a service for a key",
  description:
    "The service's own active assignment, else the domain's active default; `?at=` answers for a past time.",
  scope: "assignments:read",
  query: effectiveQuery,
  ifNoneMatch: true,
  answers: {
    description: "The effective revision and where it comes from",
    schema: effectiveAssignment,
    headers: ["ContentETag"],
  },
  errors: {
    404: "Requested resource was not found, or no assignment is effective for the key.",
  },
  database: false,
  handler: ({ request, params, query: { at } }) => {
    const scope = scopeOf(params);
    const key = params.assignment_key;
    const serviceId = params.service_id;
    // A past time's answer is read each time (no cache), but still carries its ETag.
    return domainRead(
      request,
      scope,
      "effective",
      at ? null : [serviceId, key],
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
  },
});

const domainKeys = keyOperations(DOMAIN_BASE, domainDocs, {
  put: domainAssignmentPutBody,
  post: domainAssignmentPostBody,
  maxBytes: DOMAIN_WRITE_MAX_BYTES,
});
export const {
  list: listDomainDefaultAssignments,
  create: createDomainDefaultAssignment,
  get: getDomainDefaultAssignment,
  upsert: upsertDomainDefaultAssignment,
  revisions: listRevisionsOfDomainDefaultAssignment,
} = domainKeys;

export const listDomainEffectiveAssignments = domainOps.responding("GET", {
  path: `${DOMAIN_BASE}/{assignment_key}/effective`,
  operationId: "listDomainEffectiveAssignments",
  summary: "Every active service's effective assignment for a key, in one answer",
  description:
    "For each active service of the domain (sorted by id), its own active assignment for the key, else the domain default; services with neither are left out. " +
    "Up to 10,000 items a page (the default). The strong ETag covers the whole page: revalidate with If-None-Match. " +
    "`X-Change-Cursor` is the domain's change feed cursor the answer was read at: follow `…/changes?after=` from it to hear of every later change.",
  scope: "assignments:read",
  query: domainEffectiveQuery,
  ifNoneMatch: true,
  answers: {
    description: "A page of services and their effective assignments",
    schema: domainEffectivePage,
    headers: ["ContentETag", "X-Change-Cursor"],
  },
  database: false,
  handler: ({ request, params, query: options }) => {
    const scope = scopeOf(params);
    const key = params.assignment_key;
    const page = [key, options.limit, options.cursor];
    return domainRead(request, scope, "domain-effective", page, (database) =>
      readDomainEffective(database, { ...scope, key }, options),
    );
  },
});

export const previewDomainDefaultAssignment = domainOps.post({
  path: `${DOMAIN_BASE}/{assignment_key}/preview`,
  operationId: "previewDomainDefaultAssignment",
  summary: "Preview a domain default change (its blast radius)",
  description:
    "Takes the domain PUT's body and writes nothing: for every service the change applies to, its effective model before and after, and whether it stays compatible; the services pin_services would keep where they are, in `pinned`.",
  scope: "assignments:read",
  body: { schema: domainAssignmentPutBody, maxBytes: DOMAIN_WRITE_MAX_BYTES },
  answers: { description: "What the PUT would change", schema: previewResponse },
  errors: { 422: ERROR_DESCRIPTIONS[422] },
  write: ({ db, params, body }) => {
    const key = pathKeyAgreeing(params.assignment_key, body.assignment_key);
    return previewUpsert(db, { ...scopeOf(params), key, body });
  },
});

export const getAssignmentRevision = assignmentOps.responding("GET", {
  path: "/v2/assignments/{assignment_id}",
  operationId: "getAssignmentRevision",
  summary: "Get any assignment revision by id",
  description:
    "Archived revisions too, so jobs can read the revision they ran on. Another client's revision is a 404. " +
    'ETag: `"<assignment_id>"` while the revision is active (usable in If-Match), a hash of it once archived; If-None-Match answers 304 while it is unchanged.',
  scope: "assignments:read",
  ifNoneMatch: true,
  answers: {
    description: "The revision, with the service patches written with it",
    schema: assignmentRevision,
    headers: ["ContentETag"],
  },
  handler: async ({ db, actor, params, request }) => {
    const row = await getAssignmentById(db, { actor, assignmentId: params.assignment_id });
    const body = JSON.stringify(row);
    // The active revision's ETag is its id (the If-Match precondition of a later PUT); once archived, a
    // revision never changes again, and its ETag is a hash of it (so an If-None-Match with the id gets a 200).
    const tag = row.status === "active" ? assignmentEtag(row.assignment_id) : contentEtag(body);
    return answerResponse(request, { version: 0, etag: tag, body });
  },
});

export const listAssignmentKeys = assignmentOps.get({
  path: "/v2/clients/{client_id}/domains/{domain_id}/assignment-keys",
  operationId: "listAssignmentKeys",
  summary: "List the assignment keys in use in a domain",
  description:
    "Every key with an active domain default or service override, sorted by key: each with its active domain default (null when only services assign it) and how many services override it. Not paginated.",
  scope: "assignments:read",
  answers: { description: "The domain's assignment keys", schema: assignmentKeyList },
  read: ({ db, params }) => readAssignmentKeys(db, ids(params)),
});

export const listDomainChanges = changeFeed.responding("GET", {
  path: "/v2/clients/{client_id}/domains/{domain_id}/changes",
  operationId: "listDomainChanges",
  summary: "A domain's committed changes after a cursor (JSON), or a live stream of them (SSE)",
  description:
    "Every committed change to the domain's assignments and services, oldest first, each with its cursor (consecutive per domain, in commit order). " +
    "Poll with `?after=<next_cursor>`, or send `Accept: text/event-stream` to keep the connection open and receive each change as it commits. " +
    "`?service_id=` keeps only the changes about one service (e.g. its `sync_changed` history).",
  scope: "assignments:read",
  query: changesQuery,
  eventStream:
    "Server-Sent Events: one event per change (`id:` its cursor, `event:` its kind, `data:` the change as JSON), a `: heartbeat` comment every 15 s. Reconnect with `Last-Event-ID` to resume after the last event received, without gaps or duplicates.",
  answers: { description: "A page of changes", schema: changePage },
  errors: {
    400: "Validation error — `after` or `Last-Event-ID` is not a cursor of this domain's feed, or `limit` is out of range.",
    429: "Too many open streams: a token, and a person's sessions together, may hold `CHANGE_STREAMS_PER_CREDENTIAL` (default 10) open across all instances; `Retry-After` says when to try again.",
  },
  handler: ({ db, params, query, meta }) =>
    changesHandler(meta, { clientId: params.client_id, domainId: params.domain_id }, query, db),
});
