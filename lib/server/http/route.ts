// The one wrapper every /v2 route goes through: params, authentication, scope and tenant checks, and
// one JSON error envelope for everything that can go wrong (never a stack trace or an HTML page).
import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authenticate } from "@/lib/server/auth/authenticate";
import { parseChangeReason } from "@/lib/server/audit/change-reason";
import type { ValidationIssue } from "@/lib/schemas/common";
import { ID_REGEX, ID_RULE, UUID_REGEX } from "@/lib/schemas/id";
import { CHANGE_REASON_HEADER } from "@/lib/shared/reason-header";
import { canTouchClient, hasScope, type Actor, type Scope } from "@/lib/shared/scopes";
import { currentRequest } from "@/lib/server/observability/request-context";
import { forgetDomain } from "./conditional";
import { duplicateKey } from "./duplicate-keys";
import { bodyResponse, copyResponse, requestBodyAside } from "./host-body";
import { apiSecurityHeaderList, isHttps } from "./security-headers";
import {
  ApiError,
  badRequest,
  errorResponse,
  forbidden,
  pgErrorCode,
  pgErrorMessage,
} from "@/lib/shared/errors";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];

const MAX_BODY_BYTES = 1024 * 1024;

export type RouteContext = {
  request: Request;
  url: URL;
  params: Record<string, string>;
  actor: Actor;
  requestId: string;
  /** The write's change reason (X-Change-Reason), validated; null when none was given (and on reads). */
  reason: string | null;
};

type Endpoint = {
  /** The scope the caller needs; "any" for any signed-in caller; `null` for public routes (health, OpenAPI). */
  scope: Scope | "any" | null;
  handler: (ctx: RouteContext) => Promise<Response>;
};

type NextRouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

/** The identifier rule as path-parameter errors have always worded it (double quotes around the characters). */
const ID_RULE_QUOTED = ID_RULE.replaceAll("'", '"');

/** Path parameters that are UUIDs (every other parameter is an identifier). */
const UUID_PARAMS = new Set(["assignment_id", "user_id", "token_id", "webhook_id", "delivery_id"]);

const PUBLIC_ACTOR: Actor = {
  subject: "anonymous",
  scopes: new Set(),
  clients: new Set(),
  via: "token",
};

function validateParams(raw: Record<string, string | string[]>): Record<string, string> {
  const params: Record<string, string> = {};
  const issues: ValidationIssue[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) continue;
    const decoded = value;
    params[name] = decoded;
    if (UUID_PARAMS.has(name)) {
      if (!UUID_REGEX.test(decoded))
        issues.push({ path: name, message: `"${decoded}" is not a UUID` });
    } else if (!ID_REGEX.test(decoded)) {
      issues.push({
        path: name,
        message: `"${decoded}" is not a valid identifier: use ${ID_RULE_QUOTED}`,
      });
    }
  }
  if (issues.length > 0)
    throw badRequest(
      `Invalid path parameter: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}`,
      issues,
    );
  return params;
}

/** What a person who must choose their own password may still reach: who they are, the change, signing out. */
const OWN_ACCOUNT_PATHS = new Set(["/v2/me", "/v2/me/password", "/v2/me/sessions"]);

/** A cookie-authenticated write must carry this app's own Origin (or, lacking one, Referer). */
function isSameOrigin(request: Request): boolean {
  const own = new Set([new URL(request.url).origin]);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (host) {
    const proto =
      request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
    own.add(`${proto}://${host}`);
  }
  if (process.env.NEXTAUTH_URL) own.add(new URL(process.env.NEXTAUTH_URL).origin);
  const origin = request.headers.get("origin");
  if (origin) return own.has(origin);
  const referer = request.headers.get("referer");
  if (!referer) return false;
  try {
    return own.has(new URL(referer).origin);
  } catch {
    return false;
  }
}

function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** The request id and the API's security headers on every answer. */
function finish(response: Response, requestId: string, request: Request): Response {
  const headers = apiSecurityHeaderList(isHttps(request));
  try {
    for (const [name, value] of headers) response.headers.set(name, value);
    response.headers.set("x-request-id", requestId);
    return response;
  } catch {
    // Immutable headers (a Response we did not build): copy it.
    const copy = copyResponse(response);
    for (const [name, value] of headers) copy.headers.set(name, value);
    copy.headers.set("x-request-id", requestId);
    return copy;
  }
}

export function logUnexpected(error: unknown, requestId: string, request: Request): void {
  const err = error instanceof Error ? error : new Error(String(error));
  console.error(
    JSON.stringify({
      level: "error",
      time: new Date().toISOString(),
      request_id: requestId,
      method: request.method,
      path: new URL(request.url).pathname,
      error: err.message,
      stack: err.stack,
    }),
  );
}

/** What to fix, per PostgreSQL data-exception code (class 22), in the caller's terms. */
const DATA_EXCEPTIONS: Record<string, string> = {
  "22001": "a text value is longer than its field allows",
  "22003": "a number is out of the range its field allows",
  "22007": "a date or time is not in a form the server reads (use ISO 8601)",
  "22008": "a date or time is out of range",
  "22021": "a text value is not valid UTF-8",
  "22P02": "a value is not in the form its field needs (a number, a date, an id or JSON)",
  "22P05": "a text value holds a character that can't be stored (such as \\u0000)",
};

/** The 400 message for a PostgreSQL data exception: what to fix, never PostgreSQL's own text (that is logged). */
export function dataExceptionMessage(code: string, requestId: string): string {
  const what = DATA_EXCEPTIONS[code] ?? "a value in the request can't be stored";
  return `Bad input: ${what}; correct it and retry (request id ${requestId})`;
}

function toErrorResponse(error: unknown, requestId: string, request: Request): Response {
  if (error instanceof ApiError)
    return errorResponse(error.status, error.message, error.extras, error.headers);
  // Raised by the audit log's trigger: the client requires a reason and the write carried none.
  if (pgErrorCode(error) === "MCR01") {
    const client = /Client "([^"]+)"/.exec(pgErrorMessage(error))?.[1];
    return errorResponse(
      422,
      `Client "${client ?? "?"}" requires a reason for every change: send one in the X-Change-Reason header (at most 500 characters, percent-encoded UTF-8 for non-ASCII text)`,
    );
  }
  logUnexpected(error, requestId, request);
  // Class 22 is PostgreSQL's "data exception": a value from the request it can't store or compare. Whatever
  // input check let it through, it is still bad input, never a 500.
  if (pgErrorCode(error)?.startsWith("22")) {
    // PostgreSQL's own text stays in the log (it can quote internals); the caller gets what to fix.
    const what = DATA_EXCEPTIONS[pgErrorCode(error)!] ?? "a value in the request can't be stored";
    return errorResponse(400, `Bad input: ${what}; correct it and retry (request id ${requestId})`);
  }
  return errorResponse(
    500,
    `Internal error; the server log has the details under request id ${requestId}`,
  );
}

function methodNotAllowed(allowed: string[]): Response {
  return errorResponse(
    405,
    `Method not allowed here; this route accepts ${allowed.join(", ")}`,
    {},
    { allow: allowed.join(", ") },
  );
}

/** Builds the exports of a route.ts: every method, with a JSON 405 for the ones the route does not serve. */
export function defineRoute(
  endpoints: Partial<Record<Method, Endpoint>>,
): Record<Method, NextRouteHandler> {
  if (endpoints.GET && !endpoints.HEAD) endpoints = { ...endpoints, HEAD: endpoints.GET };
  const allowed = METHODS.filter((m) => m === "OPTIONS" || endpoints[m]);
  const handlers = {} as Record<Method, NextRouteHandler>;
  for (const method of METHODS) {
    const endpoint = endpoints[method];
    handlers[method] = async (request, context) => {
      const requestId = requestIdOf(request);
      if (method === "OPTIONS" && !endpoint) {
        return finish(
          new Response(null, { status: 204, headers: { allow: allowed.join(", ") } }),
          requestId,
          request,
        );
      }
      if (!endpoint) return finish(methodNotAllowed(allowed), requestId, request);
      try {
        const actor = endpoint.scope === null ? PUBLIC_ACTOR : await authenticate(request);
        // The request log names the caller (its subject; never a token).
        const store = currentRequest();
        if (store && actor !== PUBLIC_ACTOR) store.actor = actor.subject;
        if (
          actor.via === "session" &&
          method !== "GET" &&
          method !== "HEAD" &&
          !isSameOrigin(request)
        ) {
          throw forbidden(
            "Cross-origin write refused: a write with a session cookie must come from this console's own pages",
          );
        }
        // A person signed in with a password someone else chose: only their own account until they choose theirs.
        if (actor.mustChangePassword && !OWN_ACCOUNT_PATHS.has(new URL(request.url).pathname)) {
          throw forbidden(
            "Choose your own password first: yours was set by someone else. Change it under My account " +
              "(POST /v2/me/password), then try again",
          );
        }
        if (
          endpoint.scope !== null &&
          endpoint.scope !== "any" &&
          !hasScope(actor, endpoint.scope)
        ) {
          throw forbidden(
            `This token or session lacks the "${endpoint.scope}" scope needed for ${method} here`,
          );
        }
        // The model registry is shared by every client: a caller limited to some clients may read it, not change it.
        if (endpoint.scope === "models:write" && actor.clients !== "*") {
          throw forbidden(
            "The model registry is shared by every client: changing it needs a token or person with access to all clients",
          );
        }
        // Next passes no params at all to routes without dynamic segments.
        const rawParams = (await context?.params) ?? {};
        if (
          endpoint.scope !== null &&
          typeof rawParams.client_id === "string" &&
          !canTouchClient(actor, rawParams.client_id)
        ) {
          throw forbidden(`This token or session may not access client "${rawParams.client_id}"`);
        }
        const params = validateParams(rawParams);
        const url = new URL(request.url);
        for (const [key, value] of url.searchParams) {
          if (key.includes("\u0000") || value.includes("\u0000")) {
            throw badRequest(
              `Invalid query parameter: ${JSON.stringify(key)} contains a NUL character (U+0000); remove it`,
              [{ path: key, message: "contains a NUL character (U+0000)" }],
            );
          }
        }
        const reason =
          method === "GET" || method === "HEAD"
            ? null
            : parseChangeReason(request.headers.get(CHANGE_REASON_HEADER));
        const response = await endpoint.handler({ request, url, params, actor, requestId, reason });
        // A write into a domain has committed: this process's cached reads of the domain must not serve an answer
        // older than it (read your own writes), even before the change notification comes back.
        if (method !== "GET" && method !== "HEAD" && params.client_id && params.domain_id)
          await forgetDomain(params.client_id, params.domain_id);
        return finish(response, requestId, request);
      } catch (error) {
        return finish(toErrorResponse(error, requestId, request), requestId, request);
      }
    };
  }
  return handlers;
}

export function json(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return bodyResponse(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...init.headers,
    },
  });
}

async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const length = request.headers.get("content-length");
  if (length !== null && Number(length) > maxBytes) throw tooLarge(maxBytes);
  // Read ahead by the production server's fast path (decision 129): the same limit, on the bytes it read.
  const aside = requestBodyAside(request);
  if (aside !== undefined) {
    if (aside.byteLength > maxBytes) throw tooLarge(maxBytes);
    return Buffer.from(aside.buffer, aside.byteOffset, aside.byteLength).toString("utf8");
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch {
      // The client hung up mid-body, or the HTTP parser refused the rest of it (a bad chunk): nothing to answer
      // (the connection is gone, the server logs a 499) and nothing unexpected to log.
      throw new ApiError(
        400,
        `The request body did not arrive whole (the connection closed after ${total} bytes of it); send it again`,
      );
    }
    const { done, value } = read;
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    413,
    `Request body too large: the limit is ${maxBytes} bytes (${maxBytes / (1024 * 1024)} MiB)`,
  );
}

function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}

function describeIssues(issues: ValidationIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  return shown.join("; ") + (issues.length > 5 ? `; and ${issues.length - 5} more` : "");
}

/** How deeply a request body may nest arrays and objects; real bodies stay far below it. */
const MAX_BODY_DEPTH = 64;

/**
 * The first value JSON can carry but the database can't store: U+0000 in a string or key (PostgreSQL text and
 * jsonb reject it), a number too large to be finite (1e999 parses as Infinity and would be stored as null), or
 * nesting deeper than MAX_BODY_DEPTH. Walks the value with its own stack, so no body can overflow the call stack.
 */
function unstorable(root: unknown): ValidationIssue | null {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    const at = () => path.join(".") || "(body)";
    if (typeof value === "string") {
      if (value.includes("\u0000"))
        return { path: at(), message: "contains a NUL character (U+0000); remove it" };
      continue;
    }
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return { path: at(), message: "is a number too large to store" };
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (path.length >= MAX_BODY_DEPTH)
      return {
        path: path.slice(0, 5).join(".") + (path.length > 5 ? ".…" : ""),
        message: `is nested more than ${MAX_BODY_DEPTH} levels deep; flatten it`,
      };
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      if (key.includes("\u0000"))
        return {
          path: [...path, key].join("."),
          message: "this key contains a NUL character (U+0000); remove it",
        };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}

/**
 * Reads and validates a JSON body: 415 if not JSON, 413 if over `maxBytes` (1 MiB unless the operation says more),
 * 400 with issues if malformed or invalid.
 */
export async function readJson<S extends z.ZodType>(
  ctx: RouteContext,
  schema: S,
  maxBytes: number = MAX_BODY_BYTES,
): Promise<z.infer<S>> {
  const type = ctx.request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\s*(;|$)/i.test(type.trim())) {
    throw new ApiError(
      415,
      `Unsupported Content-Type "${type || "(none)"}": send the body as application/json`,
    );
  }
  const text = await readBodyText(ctx.request, maxBytes);
  if (text.trim() === "") throw badRequest("Request body is empty: send a JSON object");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw badRequest(`Malformed JSON in the request body: ${(error as Error).message}`);
  }
  // JSON.parse keeps a repeated key's last value silently: refuse the body instead (decision 131).
  const repeated = duplicateKey(text);
  if (repeated !== null) {
    const dup = { path: repeated, message: "is given twice in the same object; send it once" };
    throw badRequest(`Invalid request body: ${dup.path} ${dup.message}`, [dup]);
  }
  const issue = unstorable(data);
  if (issue) throw badRequest(`Invalid request body: ${issue.path} ${issue.message}`, [issue]);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw badRequest(`Invalid request body: ${describeIssues(issues)}`, issues);
  }
  return parsed.data;
}

/**
 * Validates the query string against a schema of string fields. A name repeated in the query keeps its last
 * value, except the names in `lists`, which are passed as arrays of every value (`?feature=a&feature=b`).
 */
export function readQuery<S extends z.ZodType>(
  ctx: RouteContext,
  schema: S,
  lists: readonly string[] = [],
): z.infer<S> {
  const raw: Record<string, string | string[]> = {};
  for (const [key, value] of ctx.url.searchParams)
    raw[key] = lists.includes(key) ? ctx.url.searchParams.getAll(key) : value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw badRequest(`Invalid query parameter: ${describeIssues(issues)}`, issues);
  }
  return parsed.data;
}
