// Conditional GETs and the per-process answer cache of the hot reads (an assignment, a service's effective
// assignment, a domain's effective assignments for a key). An answer is cached with the domain change cursor it
// was read at; it is served again only while the change hub vouches that the domain's cursor has not moved (or a
// one-row check in the database says so). docs/decisions/015-read-caches.md has the argument.
import "server-only";
import { createHash } from "node:crypto";
import { constants, gzipSync } from "node:zlib";
import { and, eq, sql } from "drizzle-orm";
import { domainChangeHeads } from "@/db/schema";
import type { Database, Db } from "@/db/types";
import { perDb } from "@/db/statement";
import { getHub } from "@/lib/server/changes/hub";
import { getDatabase } from "@/lib/server/database";
import { bodyResponse } from "./host-body";

export type Answer = {
  /** The domain's change cursor the answer was read at (in the same statement). */
  version: number;
  etag: string;
  body: string;
  headers?: Record<string, string>;
  /** The body gzipped, made on the first request that accepts gzip and kept with the cached answer. */
  gzip?: Buffer;
  /** The headers of its 304 and of its plain 200, made on first use and kept with the cached answer. */
  notModifiedHeaders?: Record<string, string>;
  okHeaders?: Record<string, string>;
};

/** Large answers are sent gzipped (once compressed per cached answer, instead of by the server per request). */
const GZIP_FROM_BYTES = 16 * 1024;

/**
 * Next drops `Content-Encoding` from a route handler's Response and compresses the body itself: an app-gzipped
 * body would go out gzipped twice under one `Content-Encoding: gzip`. The production server (scripts/server.mjs)
 * says it carries this header through as the real `Content-Encoding` (so Next's compression sees the body is
 * encoded and leaves it alone); under any other host (`next dev`, `next start`) the app does not pre-compress and
 * the host's compression is the one layer. docs/decisions/024-one-compression-layer.md.
 */
export const PRECOMPRESSED_HEADER = "x-model-console-content-encoding";
const HOST_PASSES_ENCODING = Symbol.for("model-console.host-passes-content-encoding");

/** True when the server in front carries PRECOMPRESSED_HEADER through as `Content-Encoding`. */
export function hostPassesContentEncoding(): boolean {
  return (globalThis as Record<symbol, unknown>)[HOST_PASSES_ENCODING] === true;
}

const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/** Least recently used first (a Map keeps insertion order); bounded by the bodies' total size. */
class AnswerCache {
  private readonly entries = new Map<string, Answer>();
  private bytes = 0;

  get(key: string): Answer | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, answer: Answer): void {
    const size = answer.body.length;
    if (size > MAX_CACHE_BYTES / 4) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    this.entries.set(key, answer);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= MAX_CACHE_BYTES) break;
      this.entries.delete(k);
      this.bytes -= v.body.length;
    }
  }
}

type GlobalWithCache = typeof globalThis & {
  __modelConsoleAnswers?: WeakMap<Database, AnswerCache>;
};
const globalForCache = globalThis as GlobalWithCache;

function cacheFor(database: Database): AnswerCache {
  const caches = (globalForCache.__modelConsoleAnswers ??= new WeakMap());
  let cache = caches.get(database);
  if (!cache) {
    cache = new AnswerCache();
    caches.set(database, cache);
  }
  return cache;
}

/** A strong validator derived from the exact bytes of the answer. */
export function contentEtag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

/** If-None-Match names this ETag (or is `*`); weak comparison, as RFC 9110 says for If-None-Match. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  // What a client that stored the answer sends back: its ETag as it was given.
  if (ifNoneMatch === etag) return true;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === "*" || t === bare);
}

// Clients may store the answer but must revalidate it every time (with If-None-Match).
const CACHE_CONTROL = "private, no-cache";

export function answerResponse(request: Request, answer: Answer): Response {
  const headers = (answer.notModifiedHeaders ??= {
    etag: answer.etag,
    "cache-control": CACHE_CONTROL,
    ...answer.headers,
  });
  if (etagMatches(request.headers.get("if-none-match"), answer.etag))
    return new Response(null, { status: 304, headers });
  const type = { "content-type": "application/json; charset=utf-8" };
  if (answer.body.length < GZIP_FROM_BYTES)
    return bodyResponse(answer.body, {
      status: 200,
      headers: (answer.okHeaders ??= { ...type, ...headers }),
    });
  if (hostPassesContentEncoding()) {
    const vary = { vary: "accept-encoding" };
    if (/\bgzip\b/i.test(request.headers.get("accept-encoding") ?? "")) {
      answer.gzip ??= gzipSync(answer.body, { level: constants.Z_BEST_SPEED });
      return bodyResponse(answer.gzip, {
        status: 200,
        headers: {
          ...type,
          ...headers,
          ...vary,
          "content-encoding": "gzip",
          [PRECOMPRESSED_HEADER]: "gzip",
        },
      });
    }
    return bodyResponse(answer.body, { status: 200, headers: { ...type, ...headers, ...vary } });
  }
  return bodyResponse(answer.body, { status: 200, headers: { ...type, ...headers } });
}

function prepareHeadRead(db: Db) {
  const h = domainChangeHeads;
  return db
    .select({ seq: h.seq })
    .from(h)
    .where(
      and(eq(h.clientId, sql.placeholder("clientId")), eq(h.domainId, sql.placeholder("domainId"))),
    )
    .prepare("domain_head_v2");
}

// Prepared once per database (and by PostgreSQL once per connection): the revalidation of every cached answer.
const headRead = perDb(prepareHeadRead);

/** The domain's latest change cursor, 0 before its first change. */
async function domainHead(database: Database, clientId: string, domainId: string): Promise<number> {
  const [row] = await headRead(database.db).execute({ clientId, domainId });
  return row?.seq ?? 0;
}

/**
 * Answers a GET from the cache when the domain has not changed since the cached answer was read, else reads it
 * with `load` (which must return the domain's change cursor from the same statement as the answer).
 */
export async function cachedRead(
  request: Request,
  scope: { clientId: string; domainId: string; cacheKey: string | null },
  load: (database: Database) => Promise<Answer>,
): Promise<Response> {
  const database = await getDatabase();
  const hub = getHub(database);
  const { clientId, domainId, cacheKey } = scope;
  const cache = cacheKey === null ? null : cacheFor(database);
  const cached = cacheKey === null ? undefined : cache!.get(cacheKey);
  const token = hub.token(clientId, domainId);
  if (cached) {
    const known = hub.version(clientId, domainId);
    if (known === cached.version) return answerResponse(request, cached);
    if (known === undefined) {
      // The cheap check: one row of the database decides whether the cached answer is still current.
      const head = await domainHead(database, clientId, domainId);
      hub.noteVersion(clientId, domainId, head, token);
      if (head === cached.version) return answerResponse(request, cached);
    }
  }
  const answer = await load(database);
  hub.noteVersion(clientId, domainId, answer.version, token);
  if (cache) cache.set(cacheKey!, answer);
  return answerResponse(request, answer);
}

/** After a write to the domain commits on this process: its cached answers are checked against the database. */
export async function forgetDomain(clientId: string, domainId: string): Promise<void> {
  getHub(await getDatabase()).forget(clientId, domainId);
}

/**
 * Drops the cached answers and known domain versions: for a database changed behind the feed's back (tests
 * that truncate and reseed; a restore from a backup would need a restart of the app, or this).
 */
export function forgetCachedAnswers(database: Database): void {
  globalForCache.__modelConsoleAnswers?.delete(database);
  getHub(database).reset();
}
