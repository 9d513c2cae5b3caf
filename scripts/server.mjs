// The production entry (`npm start`, the e2e server, the tests' and the bench's servers): a small Node HTTP server
// around Next's request handler, so this process owns what `next start` doesn't give: one JSON log line per
// request, Prometheus metrics on /metrics, an X-Request-Id on every response, and a graceful shutdown on SIGTERM
// (stop accepting, finish in-flight requests within SHUTDOWN_GRACE_MS, close the database cleanly). `/v2/**` is
// answered by calling the compiled route handlers directly (scripts/v2-fast-path.mjs), the same answers without
// Next's per-request pipeline; V2_VIA_NEXT=1 sends it through Next (docs/decisions/120-v2-fast-path.md).
//
//   node scripts/server.mjs [-p PORT] [-H HOST]      (the build must exist: scripts/build-if-needed.mjs)
//
// Settings (environment): PORT (3000), HOSTNAME (all interfaces), LOG_LEVEL (info), METRICS_TOKEN (unset: /metrics
// answers 404), SHUTDOWN_GRACE_MS (10000), SHUTDOWN_DELAY_MS (0: how long readiness answers 503 before the
// listener closes, for load balancers that need to notice), V2_VIA_NEXT (0). See docs/operations.md.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import { getMetrics, observeRequest } from "../lib/server/observability/metrics.mjs";
import {
  createRouteMatcher,
  loadBuildTemplates,
} from "../lib/server/observability/route-template.mjs";
import { createV2Dispatcher } from "./v2-fast-path.mjs";

const root = path.resolve(import.meta.dirname, "..");

// Next drops a route handler's `Content-Encoding` and then compresses the body itself, so an answer the app
// already gzipped went out gzipped twice. The app names its encoding in this header instead; it is written as
// the real `Content-Encoding`, which Next's compression sees and leaves the body alone: one layer compresses.
const PRECOMPRESSED_HEADER = "x-model-console-content-encoding";

/** Every response of this server: writes the app's PRECOMPRESSED_HEADER as `Content-Encoding`. */
export class EncodingResponse extends http.ServerResponse {
  setHeader(name, value) {
    if (typeof name === "string" && name.toLowerCase() === PRECOMPRESSED_HEADER)
      return super.setHeader("content-encoding", Array.isArray(value) ? value.at(-1) : value);
    return super.setHeader(name, value);
  }
}
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** How long an idle keep-alive connection stays open (see where the server is created). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Reads and checks the server's settings; throws one message naming every bad variable. */
export function readSettings(env, argv = []) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", short: "p" },
      hostname: { type: "string", short: "H" },
    },
    strict: true,
  });
  const problems = [];
  const integer = (name, raw, fallback, min, max) => {
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const port = integer("PORT", values.port ?? env.PORT, 3000, 1, 65535);
  const graceMs = integer("SHUTDOWN_GRACE_MS", env.SHUTDOWN_GRACE_MS, 10_000, 0, 3_600_000);
  const delayMs = integer("SHUTDOWN_DELAY_MS", env.SHUTDOWN_DELAY_MS, 0, 0, 600_000);
  const logLevel = env.LOG_LEVEL || "info";
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${logLevel}")`);
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16)
    problems.push(
      "METRICS_TOKEN must be at least 16 characters (or unset, which turns /metrics off)",
    );
  const trustProxyRaw = (env.TRUST_PROXY ?? "").trim().toLowerCase();
  if (!["", "0", "1", "true", "false"].includes(trustProxyRaw))
    problems.push(
      `TRUST_PROXY must be 1 (a reverse proxy in front sets X-Forwarded-For) or 0 (got "${env.TRUST_PROXY}")`,
    );
  const trustProxy = trustProxyRaw === "1" || trustProxyRaw === "true";
  const viaNextRaw = (env.V2_VIA_NEXT ?? "").trim().toLowerCase();
  if (!["", "0", "1", "true", "false"].includes(viaNextRaw))
    problems.push(
      `V2_VIA_NEXT must be 1 (answer /v2 through Next's request pipeline) or 0 (got "${env.V2_VIA_NEXT}")`,
    );
  const v2ViaNext = viaNextRaw === "1" || viaNextRaw === "true";
  if (problems.length > 0) throw new Error(`Invalid environment:\n  ${problems.join("\n  ")}`);
  return {
    port,
    trustProxy,
    v2ViaNext,
    hostname: values.hostname ?? (env.HOSTNAME || undefined),
    logLevel,
    metricsToken,
    graceMs,
    delayMs,
  };
}

const digest = (value) => createHash("sha256").update(value).digest();

// The log line's time, as pino's isoTime writes it (`,"time":"2026-12-07T05:59:04.123Z"`), made without a Date per
// line: the text up to the second is kept and only the milliseconds are written. The Date captured here is the
// runtime's own (Next wraps the global one once it loads).
const NativeDate = globalThis.Date;
let isoSecond = -1;
let isoPrefix = "";
export function logTime(now = NativeDate.now()) {
  const second = Math.floor(now / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new NativeDate(second * 1000).toISOString().slice(0, 20);
  }
  const ms = now - second * 1000;
  return `,"time":"${isoPrefix}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z"`;
}

/** What a write to a full pipe sleeps on (10 ms at a time) before it tries again. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * pino's destination: the log lines written during one turn of the event loop go out together, in one write to
 * `fd`, when the turn ends (setImmediate), instead of one write per line. Under load several requests finish per
 * turn, and each write is a system call (docs/decisions/132-one-write-per-round-trip.md). A line waits at most
 * for the rest of its turn; whatever is pending is written at once past `maxPending` characters and when the
 * process exits (process.exit, an uncaught error). A full pipe (EAGAIN) is waited out, as pino's own destination
 * does.
 */
export function createLineBuffer({
  fd = 1,
  writeSync = fs.writeSync,
  maxPending = 64 * 1024,
} = {}) {
  let pending = [];
  let pendingLength = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const bytes = Buffer.from(pending.length === 1 ? pending[0] : pending.join(""));
    pending = [];
    pendingLength = 0;
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(fd, bytes, offset, bytes.length - offset);
      } catch (error) {
        if (error?.code !== "EAGAIN" && error?.code !== "EBUSY") throw error;
        Atomics.wait(PAUSE, 0, 0, 10);
      }
    }
  };
  process.on("exit", flush);
  return {
    write(line) {
      pending.push(line);
      pendingLength += line.length;
      if (pendingLength > maxPending) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * The answer to a request Node's HTTP parser refuses before any handler sees it (a malformed or doubled
 * Content-Length, Content-Length together with Transfer-Encoding, a bad chunk, headers over the limit, data after
 * `Connection: close`): the status Node would send, with a JSON body that says what to fix, as every other error
 * of the API does, instead of Node's empty one. Null when nothing may be written: the client has gone, or an
 * answer to an earlier request on the connection has started (a second one would corrupt it).
 */
export function clientErrorAnswer(error, socket, maxHeaderSize = http.maxHeaderSize) {
  if (!socket.writable || socket._httpMessage?.headersSent) return null;
  const code = typeof error?.code === "string" ? error.code : "HPE_UNKNOWN";
  let status = 400;
  let message;
  if (code === "HPE_HEADER_OVERFLOW") {
    status = 431;
    message = `Request headers are too large (the limit is ${maxHeaderSize} bytes for the request line and headers together); send fewer or shorter headers`;
  } else if (code === "ERR_HTTP_REQUEST_TIMEOUT") {
    status = 408;
    message = "The request did not arrive in time (its headers or its body); send it again";
  } else if (code === "HPE_CHUNK_EXTENSIONS_OVERFLOW") {
    status = 413;
    message = "The chunked body's chunk extensions are too large; send the body without them";
  } else if (
    code === "HPE_INVALID_CONTENT_LENGTH" ||
    code === "HPE_UNEXPECTED_CONTENT_LENGTH" ||
    // llhttp's "Transfer-Encoding can't be present with Content-Length"
    /content-length/i.test(String(error?.reason ?? ""))
  ) {
    message =
      "Malformed request: Content-Length must be one decimal number of bytes, sent once, and not together with Transfer-Encoding";
  } else if (code === "HPE_INVALID_TRANSFER_ENCODING" || code === "HPE_INVALID_CHUNK_SIZE") {
    message =
      "Malformed request: the body is not valid chunked encoding (Transfer-Encoding: chunked, each chunk's size in hexadecimal)";
  } else {
    const reason = typeof error?.reason === "string" && error.reason ? `: ${error.reason}` : "";
    message = `Malformed HTTP request (${code}${reason}); check the request line, the headers and the body's framing`;
  }
  const body = JSON.stringify({ success: false, message });
  return {
    status,
    code,
    raw:
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
      "Content-Type: application/json; charset=utf-8\r\n" +
      "Cache-Control: no-store\r\n" +
      "X-Content-Type-Options: nosniff\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  };
}

function pathnameOf(url) {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

export async function runServer(settings) {
  process.env.NODE_ENV = "production";
  const logger = pino(
    {
      level: settings.logLevel,
      base: { pid: process.pid },
      timestamp: logTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    createLineBuffer(),
  );
  // Route code reads the request's context (its id, and writes the authenticated subject) through this store.
  const requestContext = new AsyncLocalStorage();
  globalThis[Symbol.for("model-console.request-context")] = requestContext;
  // Large cached answers are gzipped once by the app; this server carries their encoding through (below), so
  // the app may pre-compress (lib/server/http/conditional.ts, docs/decisions/024-one-compression-layer.md).
  globalThis[Symbol.for("model-console.host-passes-content-encoding")] = true;
  const metrics = getMetrics();
  const tokenDigest = settings.metricsToken ? digest(settings.metricsToken) : null;

  // Next is imported only now, once NODE_ENV is production.
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, hostname: settings.hostname, port: settings.port });
  const handle = app.getRequestHandler();
  // Runs instrumentation.ts: environment checks, database open, migrations, first-start seed.
  await app.prepare();
  const templateOf = createRouteMatcher(await loadBuildTemplates(path.join(root, ".next")));
  // /v2 straight to the compiled route handlers, unless V2_VIA_NEXT=1 sends it through Next's pipeline
  // (scripts/v2-fast-path.mjs, docs/decisions/120-v2-fast-path.md).
  const v2 = settings.v2ViaNext
    ? null
    : await createV2Dispatcher({ distDir: path.join(root, ".next"), port: settings.port });

  let draining = false;
  let inFlight = 0;

  function serveMetrics(req, res) {
    // Off without METRICS_TOKEN: a plain 404, as if there were no such path.
    if (!tokenDigest)
      return sendJson(res, 404, {
        success: false,
        message: "Not found: /metrics is off on this server (set METRICS_TOKEN to turn it on)",
      });
    if (req.method !== "GET" && req.method !== "HEAD")
      return sendJson(
        res,
        405,
        { success: false, message: "Method not allowed here; /metrics accepts GET, HEAD" },
        { allow: "GET, HEAD" },
      );
    const auth = req.headers.authorization ?? "";
    const given = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
    if (!given || !timingSafeEqual(digest(given), tokenDigest))
      return sendJson(
        res,
        401,
        {
          success: false,
          message: given
            ? "Invalid metrics token: send the METRICS_TOKEN value as Authorization: Bearer <token>"
            : "Missing metrics token: send Authorization: Bearer <METRICS_TOKEN>",
        },
        { "www-authenticate": 'Bearer realm="metrics"' },
      );
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, {
          "content-type": metrics.registry.contentType,
          "cache-control": "no-store",
        });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      (error) => {
        logger.error({ err: error }, "metrics collection failed");
        sendJson(res, 500, { success: false, message: "Metrics collection failed; see the log" });
      },
    );
  }

  const server = http.createServer({ ServerResponse: EncodingResponse }, (req, res) => {
    const started = performance.now();
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    // The /v2 wrapper reads the id from the request: it sees the same one.
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    // A client's own X-Forwarded-For would pick its address for the sign-in limits and the audit log: without a
    // proxy in front (TRUST_PROXY unset), the address is the connection's, whatever the request says.
    if (!settings.trustProxy) {
      req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
      delete req.headers["x-real-ip"];
    }
    const pathname = pathnameOf(req.url ?? "/");
    const isMetrics = pathname === "/metrics";
    const routed = v2 && !isMetrics ? v2.route(req.method, pathname) : undefined;
    const route = isMetrics ? "/metrics" : routed ? routed.template : templateOf(pathname);
    // A request the fast path answers: its handler's answer body may be handed over beside the Response
    // (lib/server/http/host-body.ts).
    const store = {
      requestId,
      actor: undefined,
      answerBodies: routed ? v2.answerBodies : undefined,
      requestBodies: routed ? v2.requestBodies : undefined,
    };
    inFlight++;
    metrics.inFlight.inc();
    if (draining) res.setHeader("connection", "close");
    res.once("close", () => {
      inFlight--;
      metrics.inFlight.dec();
      const seconds = (performance.now() - started) / 1000;
      // A response that never finished: the client went away first (nginx's 499).
      const status = res.writableFinished ? res.statusCode : 499;
      observeRequest(route, req.method ?? "GET", status, seconds);
      logger.info(
        {
          request_id: requestId,
          route,
          method: req.method,
          status,
          duration_ms: Math.round(seconds * 100_000) / 100,
          actor: store.actor ?? null,
        },
        "request",
      );
      if (draining && inFlight === 0) server.emit("drained");
    });
    if (isMetrics) return serveMetrics(req, res);
    if (draining && pathname === "/v2/health/ready")
      return sendJson(res, 503, {
        success: false,
        message: "Shutting down: this instance is finishing its in-flight requests",
      });
    requestContext.run(store, () =>
      (routed ? v2.serve(req, res, routed) : handle(req, res)).catch((error) => {
        logger.error({ request_id: requestId, err: error }, "unhandled request error");
        if (!res.headersSent)
          sendJson(res, 500, {
            success: false,
            message: `Internal error; the server log has the details under request id ${requestId}`,
          });
        else res.destroy();
      }),
    );
  });

  // A request the parser refuses never reaches the handler above: answer it in JSON, log it, close the connection.
  server.on("clientError", (error, socket) => {
    const answer = clientErrorAnswer(error, socket, server.maxHeaderSize ?? http.maxHeaderSize);
    if (answer) {
      socket.write(answer.raw);
      logger.info(
        { status: answer.status, code: answer.code, reason: error?.reason ?? null },
        "malformed request refused",
      );
    }
    socket.destroy();
  });

  // Idle keep-alive connections stay open 65 s (Node's default: 5 s), longer than load balancers (often 60 s) and
  // client pools keep theirs, so a client never sends a request on a connection the server is closing at that
  // moment (it would see ECONNRESET). The headers timeout must be longer than that.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  logger.info(
    {
      url: `http://${settings.hostname ?? "localhost"}:${address.port}`,
      metrics: tokenDigest ? "on" : "off (METRICS_TOKEN unset)",
    },
    "listening",
  );

  async function shutdown(signal) {
    if (draining) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    draining = true;
    logger.info(
      { signal, in_flight: inFlight, grace_ms: settings.graceMs, delay_ms: settings.delayMs },
      "draining",
    );
    // Still accepting while readiness answers 503, so a load balancer can take this instance out first.
    if (settings.delayMs > 0) await new Promise((r) => setTimeout(r, settings.delayMs));
    const closed = new Promise((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idle = inFlight === 0 ? Promise.resolve() : new Promise((r) => server.once("drained", r));
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve("timeout"), settings.graceMs);
    });
    if ((await Promise.race([idle, timedOut])) === "timeout") {
      logger.warn(
        { in_flight: inFlight, grace_ms: settings.graceMs },
        "grace period over: closing the remaining connections",
      );
    }
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
    try {
      const database = await globalThis.__modelConsoleDb;
      // The webhook dispatcher (lib/server/webhooks/dispatcher.ts) finishes its sends in flight, then stops claiming.
      if (database) await globalThis.__modelConsoleDispatchers?.get(database)?.stop();
      // The scheduler (lib/server/scheduler/scheduler.ts) lets its step in progress commit, then stops claiming.
      if (database) await globalThis.__modelConsoleSchedulers?.get(database)?.stop();
      await database?.close();
    } catch (error) {
      logger.error({ err: error }, "closing the database failed");
    }
    logger.info({ signal }, "stopped");
    process.exit(0);
  }
  for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void shutdown(signal));
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let settings;
  try {
    settings = readSettings(process.env, process.argv.slice(2));
  } catch (error) {
    console.error(`[model-console] cannot start: ${error.message}`);
    process.exit(1);
  }
  runServer(settings).catch((error) => {
    console.error(`[model-console] cannot start: ${error.message}`);
    process.exit(1);
  });
}
