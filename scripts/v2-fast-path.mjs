// The machine path: the production server (scripts/server.mjs) answers `/v2/**` by calling the route handlers that
// `next build` compiled (the exports of each app/v2/**/route.ts, i.e. what `routeOf` gives), without Next's
// per-request pipeline (routing over every page, request meta, tracing spans, the incremental cache, the
// NextRequest proxy, the WritableStream pipe). The handlers are the same module instances Next itself loads (one
// require cache, one Turbopack runtime): one database handle, one answer cache, one change hub, one metrics registry.
// What Next adds to a /v2 answer on the way out is done here the same way (its Vary header, its compression
// middleware, its header copy rules), so an answer is the same through either path; requests whose shape Next
// treats specially (a trailing slash, `%` escapes, dot segments, methods outside its seven) are left to Next.
// docs/decisions/120-v2-fast-path.md; tests/ops/fast-path.test.ts compares the two paths answer by answer.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** The methods a route handler can have (Next's HTTP_METHODS); any other goes to Next (400/500 there). */
const METHODS = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"]);

/** What Next's base server appends to every app route's answer (setVaryHeader; no interception routes here). */
const NEXT_VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch";

/** Headers a route's Response may carry that Next does not copy (the framing is the server's). */
const NOT_COPIED = new Set(["content-length", "content-encoding", "transfer-encoding"]);
/** Headers Next appends even when the server already set one (every other is copied only if not yet set). */
const MULTI = new Set(["set-cookie", "www-authenticate", "proxy-authenticate", "vary"]);

/** Next's router drops these from every request before a handler sees it (filterInternalHeaders). */
const INTERNAL_HEADERS = [
  "x-middleware-rewrite",
  "x-middleware-redirect",
  "x-middleware-set-cookie",
  "x-middleware-skip",
  "x-middleware-override-headers",
  "x-middleware-next",
  "x-now-route-matches",
  "x-matched-path",
  "x-nextjs-data",
  "x-next-resume-state-length",
  "next-resume",
];

/**
 * A router over route templates ("/v2/clients/[client_id]", "/v2/[...path]") with Next's precedence at each
 * segment: a static segment beats a dynamic one, which beats a catch-all. Returns the template and its params
 * (a catch-all's as an array of segments, as Next gives them).
 */
export function createTemplateRouter(entries) {
  const root = { statics: new Map(), dynamic: null, catchAll: null, route: null };
  for (const entry of entries) {
    let node = root;
    const segments = entry.template.split("/").filter(Boolean);
    for (const segment of segments) {
      if (segment.startsWith("[...")) {
        node.catchAll = { name: segment.slice(4, -1), route: entry };
        node = null;
        break;
      }
      if (segment.startsWith("[")) {
        node.dynamic ??= {
          name: segment.slice(1, -1),
          node: { statics: new Map(), dynamic: null, catchAll: null, route: null },
        };
        node = node.dynamic.node;
      } else {
        let next = node.statics.get(segment);
        if (!next) {
          next = { statics: new Map(), dynamic: null, catchAll: null, route: null };
          node.statics.set(segment, next);
        }
        node = next;
      }
    }
    if (node) node.route = entry;
  }

  function walk(node, parts, i, params) {
    if (i === parts.length) {
      if (node.route) return node.route;
    } else {
      const part = parts[i];
      const child = node.statics.get(part);
      if (child) {
        const found = walk(child, parts, i + 1, params);
        if (found) return found;
      }
      if (node.dynamic) {
        const found = walk(node.dynamic.node, parts, i + 1, params);
        if (found) {
          params[node.dynamic.name] = part;
          return found;
        }
      }
    }
    if (node.catchAll && i < parts.length) {
      params[node.catchAll.name] = parts.slice(i);
      return node.catchAll.route;
    }
    return null;
  }

  /** `parts`: the path's segments; undefined when no template matches. */
  return function match(parts) {
    const params = {};
    const route = walk(root, parts, 0, params);
    return route ? { route, params } : undefined;
  };
}

/**
 * Loads every compiled /v2 route module of the build in `distDir` and returns the dispatcher, or null when the
 * build has none. Call after Next's `app.prepare()` (which runs instrumentation: the database is open).
 */
export async function createV2Dispatcher({ distDir, port }) {
  const manifestFile = path.join(distDir, "server", "app-paths-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  const entries = [];
  for (const [page, file] of Object.entries(manifest)) {
    if (!page.startsWith("/v2/") || !page.endsWith("/route")) continue;
    // The same absolute path Next requires: one module instance for both paths.
    const compiled = require(path.join(distDir, "server", file));
    const routeModule = compiled.routeModule;
    if (typeof routeModule?.ensureUserland === "function") await routeModule.ensureUserland();
    const userland = routeModule?.userland;
    if (!userland) throw new Error(`v2 fast path: ${file} has no route module`);
    const handlers = {};
    for (const method of METHODS)
      if (typeof userland[method] === "function") handlers[method] = userland[method];
    entries.push({ template: page.slice(0, -"/route".length), handlers });
  }
  if (entries.length === 0) return null;
  const match = createTemplateRouter(entries);
  // The bodies of answers made for this path without a body stream (lib/server/http/host-body.ts): the request
  // context of every request this path answers carries this map (scripts/server.mjs), the handler puts the body
  // of its Response here, and `serve` sends it from here.
  const answerBodies = new WeakMap();
  // The bodies of requests this path read before calling the handler (small bodies of a declared length), kept
  // beside the Request the same way: the handler's body reader (lib/server/http/route.ts) takes them from here.
  const requestBodies = new WeakMap();
  const compression = require("next/dist/compiled/compression")();

  /**
   * The route of a /v2 request this path answers, or undefined (then Next answers it). `pathname` is the raw
   * request path.
   */
  function route(method, pathname) {
    if (!METHODS.has(method)) return undefined;
    if (!pathname.startsWith("/v2/") || pathname.endsWith("/")) return undefined;
    // Escapes, empty and dot segments: Next decodes, normalizes or redirects them; it answers those itself.
    if (pathname.includes("%") || pathname.includes("//") || pathname.includes("/."))
      return undefined;
    const found = match(pathname.slice(1).split("/"));
    if (!found) return undefined;
    const handler = found.route.handlers[method];
    return handler ? { template: found.route.template, handler, params: found.params } : undefined;
  }

  /** Answers one request routed by `route`; rejects only if writing the answer failed. */
  async function serve(req, res, routed) {
    const headers = req.headers;
    for (const name of INTERNAL_HEADERS) if (name in headers) delete headers[name];
    // The URL Next gives a route handler: the scheme from X-Forwarded-Proto, localhost and the port it serves.
    const proto = headers["x-forwarded-proto"]?.includes("https") ? "https" : "http";
    const url = `${proto}://localhost:${port}${req.url}`;
    const method = req.method;
    // Node's header object as it is (joined duplicates; a repeated Cookie or Set-Cookie stays a list).
    const init = { method, headers: hasList(headers) ? toHeaders(headers) : headers };
    // A change stream ends when its client goes away: its request carries a signal that says so (as Next's does).
    // Other answers are over before that matters; a signal costs a request more than its whole read otherwise.
    if (headers.accept?.includes("text/event-stream")) {
      const controller = new AbortController();
      res.once("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      init.signal = controller.signal;
    }
    // A small body of a declared length is read here, before the handler, and handed over beside the Request: a
    // Request built on the socket's stream costs a web stream, its byte controller and a pull per chunk, more than
    // the rest of a seed PUT's parsing. Anything else (chunked, or longer than READ_AHEAD_MAX) streams as before,
    // and the handler's reader applies its limit to either the same way (docs/decisions/129-request-bodies-beside-the-request.md).
    let aside;
    if (method !== "GET" && method !== "HEAD") {
      const length = declaredLength(headers);
      if (length !== undefined && length <= READ_AHEAD_MAX) {
        aside = await readAhead(req, length);
        // The client went away before its body was in: there is nobody to answer.
        if (aside === null) return void res.destroy();
      } else {
        init.body = req;
        init.duplex = "half";
      }
    }
    const request = new Request(url, init);
    if (aside !== undefined) requestBodies.set(request, aside);
    const response = await routed.handler(request, { params: Promise.resolve(routed.params) });

    res.appendHeader("vary", NEXT_VARY);
    // Next's compression middleware, as Next runs it: only a request that accepts an encoding can get one, so
    // without Accept-Encoding only its Vary header is left to add (for compressible types, unless no-transform).
    const acceptsEncoding = headers["accept-encoding"] !== undefined;
    if (acceptsEncoding) compression(req, res, noop);
    res.statusCode = response.status;
    res.statusMessage = response.statusText;
    response.headers.forEach((value, name) => {
      if (NOT_COPIED.has(name) || name === "x-middleware-set-cookie") return;
      if (name === "set-cookie") {
        for (const cookie of response.headers.getSetCookie()) res.appendHeader(name, cookie);
      } else if (MULTI.has(name) || res.getHeader(name) === undefined) {
        res.appendHeader(name, value);
      }
    });
    if (!acceptsEncoding) addCompressionVary(res);
    const kept = answerBodies.get(response);
    const body = response.body;
    if ((kept === undefined && !body) || method === "HEAD") {
      res.end();
      return;
    }
    if (kept === undefined && isEventStream(res)) return pipeStream(body, res);
    const bytes =
      kept !== undefined
        ? typeof kept === "string"
          ? Buffer.from(kept)
          : kept
        : (bodyBytes(response) ?? new Uint8Array(await response.arrayBuffer()));
    if (bytes.byteLength === 0) {
      res.end();
    } else if (acceptsEncoding) {
      // As Next's pipe writes it: headers first, then the bytes, so the middleware compresses whatever the size.
      res.flushHeaders();
      res.write(bytes);
      res.flush?.();
      res.end();
    } else {
      res.setHeader("content-length", bytes.byteLength);
      res.end(bytes);
    }
  }

  return { route, serve, answerBodies, requestBodies, templates: entries.map((e) => e.template) };
}

/** The largest request body the fast path reads before calling the handler; longer ones stream. */
export const READ_AHEAD_MAX = 16 * 1024;

/**
 * The body length a request declares: its Content-Length when that is one plain number and no Transfer-Encoding
 * says otherwise (Node's parser then delivers exactly that many bytes); undefined for anything else.
 */
function declaredLength(headers) {
  if (headers["transfer-encoding"] !== undefined) return undefined;
  const value = headers["content-length"];
  if (typeof value !== "string" || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/** The request's body (`length` bytes, declared), or null if the client went away first. */
function readAhead(req, length) {
  if (length === 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve) => {
    const chunks = [];
    const onData = (chunk) => chunks.push(chunk);
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const onGone = () => {
      cleanup();
      resolve(null);
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onGone);
    req.once("close", onGone);
  });
}

function noop() {}

/** Where Node's Response keeps its body (undici's internal state): found once, by its description. */
let stateKey;

/**
 * The bytes a Response was made from, when it was made from a string or bytes and nobody has read it: what
 * `arrayBuffer()` would give, without the stream and the promises in between (they cost more than the rest of a
 * cached read). Undefined for anything else (a stream, or an internal shape this Node doesn't have): read it.
 */
function bodyBytes(response) {
  stateKey ??=
    Object.getOwnPropertySymbols(response).find((s) => s.description === "state") ?? null;
  const body = stateKey ? response[stateKey]?.body : undefined;
  if (!body || response.bodyUsed || body.stream?.locked) return undefined;
  const source = body.source;
  if (typeof source === "string") return Buffer.from(source);
  if (source instanceof Uint8Array) return source;
  return undefined;
}

function hasList(nodeHeaders) {
  for (const name in nodeHeaders) if (Array.isArray(nodeHeaders[name])) return true;
  return false;
}

function toHeaders(nodeHeaders) {
  const headers = new Headers();
  for (const name in nodeHeaders) {
    const value = nodeHeaders[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  return headers;
}

const COMPRESSIBLE = /^\s*(?:text\/|application\/(?:[^;]*[+/])?(?:json|xml|javascript))/i;

/**
 * What Next's compression middleware does to an answer it does not compress because the request accepts no
 * encoding: `Vary: Accept-Encoding` on a compressible type without Cache-Control no-transform.
 */
function addCompressionVary(res) {
  const type = res.getHeader("content-type");
  if (typeof type !== "string" || !COMPRESSIBLE.test(type)) return;
  const cacheControl = res.getHeader("cache-control");
  if (typeof cacheControl === "string" && /(?:^|,)\s*no-transform\s*(?:,|$)/.test(cacheControl))
    return;
  const vary = res.getHeader("vary");
  const list = Array.isArray(vary) ? vary.join(", ") : String(vary ?? "");
  if (/(?:^|,)\s*(?:\*|accept-encoding)\s*(?:,|$)/i.test(list)) return;
  res.setHeader("Vary", list ? `${list}, Accept-Encoding` : "Accept-Encoding");
}

function isEventStream(res) {
  const type = res.getHeader("content-type");
  return typeof type === "string" && type.startsWith("text/event-stream");
}

/** A streamed answer (Server-Sent Events): each chunk written and flushed as it comes, until either side ends. */
async function pipeStream(body, res) {
  const reader = body.getReader();
  const stop = () => reader.cancel().catch(noop);
  res.once("close", stop);
  res.flushHeaders();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) break;
      const ok = res.write(value);
      res.flush?.();
      if (!ok) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
    }
  } catch {
    // The client went away (the reader was cancelled) or the stream failed: nothing more to send.
  } finally {
    res.off("close", stop);
    if (!res.writableFinished && !res.destroyed) res.end();
  }
}
