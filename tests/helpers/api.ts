// Calls the real /v2 route handlers in-process, routed the way Next routes app/v2/**/route.ts.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { getDatabase } from "@/lib/server/database";
import { apiTokens } from "@/db/schema";
import { mintToken } from "@/lib/server/auth/tokens";
import type { Scope } from "@/lib/shared/scopes";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";

type Segment =
  | { kind: "static"; value: string }
  | { kind: "param"; name: string }
  | { kind: "catchall"; name: string };
type RouteEntry = { file: string; segments: Segment[] };
type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

const APP_DIR = path.resolve(import.meta.dirname, "../../app");

function collectRoutes(dir: string, segments: Segment[], out: RouteEntry[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === "route.ts")
      out.push({ file: path.join(dir, entry.name), segments });
    if (!entry.isDirectory()) continue;
    const name = entry.name;
    let seg: Segment | null;
    if (name.startsWith("[...")) seg = { kind: "catchall", name: name.slice(4, -1) };
    else if (name.startsWith("[")) seg = { kind: "param", name: name.slice(1, -1) };
    else if (name.startsWith("(")) seg = null;
    else seg = { kind: "static", value: name };
    collectRoutes(path.join(dir, name), seg ? [...segments, seg] : segments, out);
  }
}

const routes: RouteEntry[] = [];
collectRoutes(path.join(APP_DIR, "v2"), [{ kind: "static", value: "v2" }], routes);

function match(route: RouteEntry, parts: string[]): Record<string, string | string[]> | null {
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    if (seg.kind === "catchall") {
      if (i >= parts.length) return null;
      params[seg.name] = parts.slice(i);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.kind === "static" && seg.value !== part) return null;
    if (seg.kind === "param") params[seg.name] = part;
  }
  return parts.length === route.segments.length ? params : null;
}

// Static segments beat params, params beat catch-alls, as in Next.
function rank(route: RouteEntry): number[] {
  return route.segments.map((s) => (s.kind === "static" ? 0 : s.kind === "param" ? 1 : 2));
}

function resolve(pathname: string): {
  route: RouteEntry;
  params: Record<string, string | string[]>;
} {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const candidates = routes
    .map((route) => ({ route, params: match(route, parts) }))
    .filter(
      (c): c is { route: RouteEntry; params: Record<string, string | string[]> } =>
        c.params !== null,
    )
    .sort((a, b) => {
      const ra = rank(a.route);
      const rb = rank(b.route);
      for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
        const d = (ra[i] ?? 3) - (rb[i] ?? 3);
        if (d !== 0) return d;
      }
      return 0;
    });
  if (!candidates[0]) throw new Error(`no route for ${pathname}`);
  return candidates[0];
}

export type CallOptions = {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
};
export type ApiResponse<T = Record<string, unknown>> = {
  status: number;
  body: T;
  headers: Headers;
  text: string;
};

/** The handler's Response itself, body unread: for streams (text/event-stream). */
export async function callRaw(
  method: string,
  url: string,
  options: CallOptions & { signal?: AbortSignal } = {},
): Promise<Response> {
  const full = new URL(url, "http://localhost:3000");
  const { route, params } = resolve(full.pathname);
  const mod = (await import(route.file)) as Record<string, Handler | undefined>;
  const handler = mod[method];
  if (!handler) throw new Error(`${route.file} exports no ${method}`);
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const context = { params: Promise.resolve(params) };
  return handler(new Request(full, { method, headers, signal: options.signal }), context);
}

/** A fetch that answers from the route handlers in this process (for the typed client in API tests). */
export async function inProcessFetch(
  input: Request | string | URL,
  init?: RequestInit,
): Promise<Response> {
  const request = new Request(input, init);
  const { route, params } = resolve(new URL(request.url).pathname);
  const mod = (await import(route.file)) as Record<string, Handler | undefined>;
  const handler = mod[request.method];
  if (!handler) throw new Error(`${route.file} exports no ${request.method}`);
  return handler(request, { params: Promise.resolve(params) });
}

export async function call<T = Record<string, unknown>>(
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const full = new URL(url, "http://localhost:3000");
  const { route, params } = resolve(full.pathname);
  const mod = (await import(route.file)) as Record<string, Handler | undefined>;
  const handler = mod[method];
  if (!handler) throw new Error(`${route.file} exports no ${method}`);
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  // As in Next: a route without dynamic segments gets no params at all.
  const context = {
    params: Object.keys(params).length > 0 ? Promise.resolve(params) : undefined,
  } as unknown as {
    params: Promise<Record<string, string | string[]>>;
  };
  const response = await handler(new Request(full, { method, headers, body }), context);
  const text = method === "HEAD" ? "" : await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed as T, headers: response.headers, text };
}

const ALL_SCOPES: Scope[] = ["admin"];

/** Who the helper's tokens are recorded as created by; resetDemo keeps these rows. */
export const TEST_TOKEN_CREATOR = "test-helper";

/**
 * A token for setting up a test, recorded in api_tokens of the test's database (the server accepts only tokens
 * it has a row for). Tests of minting itself go through POST /v2/tokens or `npm run token`.
 */
export async function token(
  options: {
    sub?: string;
    scopes?: Scope[];
    clients?: string[] | "*";
    expiresInSeconds?: number;
    jti?: string;
  } = {},
): Promise<string> {
  const sub = options.sub ?? "test-admin";
  const scopes = options.scopes ?? ALL_SCOPES;
  const clients = options.clients ?? "*";
  const jti = options.jti ?? randomUUID();
  const { db } = await getDatabase();
  await db
    .insert(apiTokens)
    .values({
      id: jti,
      name: `test ${sub}`,
      subject: sub,
      scopes,
      clients: clients === "*" ? ["*"] : clients,
      createdBy: TEST_TOKEN_CREATOR,
      // Counted as used already, so a test's own audit trail has no first-use entry of its setup token.
      lastUsedAt: new Date(),
      expiresAt:
        options.expiresInSeconds === undefined
          ? null
          : new Date(Date.now() + options.expiresInSeconds * 1000),
    })
    .onConflictDoNothing();
  return mintToken({ sub, scopes, clients, expiresInSeconds: options.expiresInSeconds, jti });
}

export const SEED_PUT =
  "/v2/clients/client-1/domains/south_australia/service/service-1/assignments/default";
export const DOMAIN_DEFAULT = "/v2/clients/client-1/domains/south_australia/assignments/default";
