// One definition per /v2 operation: what it needs (scope, path, query, body), what it answers (responses, errors) and
// its handler, in one object. `routeOf` turns the operations of one path into a route.ts's exports through
// defineRoute (whose checks stay as they are), and the OpenAPI document is built by mapping over the same objects
// (lib/server/operations), so a route can't exist without its documentation or disagree with it.
import "server-only";
import type { z } from "zod";
import type { Database } from "@/db/types";
import { getDatabase } from "@/lib/server/database";
import { dryRunQuery } from "@/lib/schemas/common";
import type { Actor, Scope } from "@/lib/shared/scopes";
import { defineRoute, json, readJson, readQuery, type RouteContext } from "./route";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 503;
export type ResponseHeader = "ETag" | "ContentETag" | "Location" | "X-Change-Cursor";

type SuccessResponse = {
  description: string;
  schema: z.ZodType;
  headers?: readonly ResponseHeader[];
};

/** The documented part of an operation: everything the OpenAPI document says about it. */
export type OperationSpec = {
  method: HttpMethod;
  /** OpenAPI form: `{param}` segments, each described in PATH_PARAMS (lib/server/operations/shared.ts). */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** As passed to defineRoute: a scope, "any" signed-in caller, or null for a public route. */
  scope: Scope | "any" | null;
  query?: z.ZodObject;
  /** The handler reads `?dry_run=` (dryRunQuery). */
  dryRun?: boolean;
  /** The handler honours `If-Match` (412 on a stale ETag). */
  ifMatch?: boolean;
  /** The handler honours `If-None-Match` (304 without a body when it names the current ETag). */
  ifNoneMatch?: boolean;
  /** With `Accept: text/event-stream` the 200 is a Server-Sent Events stream, described here. */
  eventStream?: string;
  body?: { schema: z.ZodType; description?: string; example?: unknown; maxBytes?: number };
  success: Partial<Record<200 | 201, SuccessResponse>>;
  /** Errors particular to this route; 400/401/403/412/413/415 follow from params, scope, ifMatch and body. */
  errors?: Partial<Record<ErrorStatus, string>>;
  /** 422s of this route can carry blocking_services (a feature contract mismatch). */
  blocking422?: boolean;
};

type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;

/** The path parameters a path template names, as strings (defineRoute has already checked their form). */
export type PathParams<P extends string> = { [K in ParamNames<P>]: string };

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** What a handler gets: the checked path parameters, query and body, the caller, and the database. */
export type OperationContext<P extends string, Q, B> = {
  params: PathParams<P>;
  /** The query, validated against `query` (undefined when the operation declares none). */
  query: Q;
  /** The JSON body, validated against `body.schema` (undefined when the operation takes none). */
  body: B;
  actor: Actor;
  /** The write's request id and change reason, as audited writes take them. */
  meta: RouteContext;
  /** The process's database (not opened for operations with `database: false`). */
  db: Database;
  /** `?dry_run=true` on an operation that declares `dryRun`; false otherwise. */
  dryRun: boolean;
  request: Request;
  url: URL;
};

export type Operation<P extends string = string> = OperationSpec & {
  readonly path: P;
  /** Runs the operation inside defineRoute's checks. */
  readonly run: (ctx: RouteContext) => Promise<Response>;
};

type Definition<
  P extends string,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
> = Omit<OperationSpec, "path" | "query" | "body"> & {
  path: P;
  query?: Q;
  /** Query parameters read as arrays of every value (`?feature=a&feature=b`). */
  queryLists?: readonly string[];
  body?: { schema: NonNullable<B>; description?: string; example?: unknown; maxBytes?: number };
  /** false for operations that must answer without opening the database (liveness, the document itself). */
  database?: false;
  handler: (ctx: OperationContext<P, Parsed<Q>, Parsed<B>>) => Promise<Response>;
};

/** Defines one operation: its documentation and its handler, from the same schemas. */
export function defineOperation<
  const P extends string,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(definition: Definition<P, Q, B>): Operation<P> {
  const { handler, queryLists, database, ...spec } = definition;
  const run = async (ctx: RouteContext): Promise<Response> => {
    // The path's parameters are the template's; defineRoute has validated each one already.
    const params = ctx.params as PathParams<P>;
    const query = (spec.query ? readQuery(ctx, spec.query, queryLists) : undefined) as Parsed<Q>;
    const dryRun = spec.dryRun ? (readQuery(ctx, dryRunQuery).dry_run ?? false) : false;
    const body = (
      spec.body ? await readJson(ctx, spec.body.schema, spec.body.maxBytes) : undefined
    ) as Parsed<B>;
    const db = database === false ? (undefined as unknown as Database) : await getDatabase();
    return handler({
      params,
      query,
      body,
      actor: ctx.actor,
      meta: ctx,
      db,
      dryRun,
      request: ctx.request,
      url: ctx.url,
    });
  };
  return { ...(spec as OperationSpec), path: definition.path, run };
}

/** The exports of a route.ts: its path's operations, each under its method (405 for the others, HEAD as GET). */
export function routeOf(...operations: Operation[]): ReturnType<typeof defineRoute> {
  const path = operations[0]?.path;
  const endpoints: Parameters<typeof defineRoute>[0] = {};
  for (const op of operations) {
    if (op.path !== path)
      throw new Error(`routeOf: ${op.operationId} is on ${op.path}, not ${path ?? "(none)"}`);
    if (endpoints[op.method]) throw new Error(`routeOf: two ${op.method} operations on ${op.path}`);
    endpoints[op.method] = { scope: op.scope, handler: op.run };
  }
  return defineRoute(endpoints);
}

/** The path of a resource: an operation's path template with its parameters filled in. */
export function pathOf<P extends string>(operation: Operation<P>, params: PathParams<P>): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent((params as Record<string, string>)[name]!),
  );
}

/** A 201 whose Location is the path of the operation that reads the created resource. */
export function created<P extends string>(
  readBy: Operation<P>,
  params: PathParams<P>,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return json(body, { status: 201, headers: { location: pathOf(readBy, params), ...headers } });
}
