// The process's Prometheus metrics (prom-client), one registry per process kept on globalThis: the custom server
// (scripts/server.mjs) and the route code Next bundles separately both reach the same instance. Each app instance
// exposes its own /metrics; Prometheus scrapes every instance and sums (standard practice).
// Plain JavaScript so that `node scripts/server.mjs` runs it without a TypeScript step; types in metrics.d.mts.
import fs from "node:fs";
import path from "node:path";
import client from "prom-client";

const KEY = Symbol.for("model-console.metrics");

/**
 * The app's version: package.json's, read from the app's folder (the working directory of `npm start` and of the
 * route code Next runs); lib/shared/version.ts reads the same field for the TypeScript side.
 */
function appVersion() {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(process.cwd(), "package.json"), "utf8")).version ??
      "unknown"
    );
  } catch {
    return "unknown";
  }
}

const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "model_console_" });
  // Which version this instance runs (constant 1, the version in a label), so a rolling upgrade shows per instance.
  new client.Gauge({
    name: "model_console_build_info",
    help: "The running app's version (package.json) and API major version; always 1.",
    labelNames: ["version", "api"],
    registers: [registry],
  }).set({ version: appVersion(), api: "v2" }, 1);
  // Filled by lib/server/database.ts once the database is open.
  let poolStats = () => null;
  let syncCounts = () => null;
  const httpRequests = new client.Counter({
    name: "model_console_http_requests_total",
    help: "HTTP requests answered, by route template (never a raw path), method and status.",
    labelNames: ["route", "method", "status"],
    registers: [registry],
  });
  const httpDuration = new client.Histogram({
    name: "model_console_http_request_duration_seconds",
    help: "Time from the request's arrival to the end of its response, by route template and method.",
    labelNames: ["route", "method"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inFlight = new client.Gauge({
    name: "model_console_http_requests_in_flight",
    help: "Requests being handled right now.",
    registers: [registry],
  });
  const gauge = (name, help, pick) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const stats = poolStats();
        if (stats) this.set(pick(stats));
      },
    });
  gauge(
    "model_console_db_pool_size",
    "Database connections the pool may open (PGlite: 1, its single session).",
    (s) => s.size,
  );
  gauge(
    "model_console_db_pool_open",
    "Database connections open now (idle or in use).",
    (s) => s.open,
  );
  gauge("model_console_db_pool_in_use", "Database connections checked out now.", (s) => s.inUse);
  gauge(
    "model_console_db_pool_waiting",
    "Queries or transactions waiting for a free connection.",
    (s) => s.waiting,
  );
  // Read from the database at each scrape (one grouped statement): the same numbers on every instance, so
  // aggregate with max(), not sum(). A failed read leaves the gauge without samples rather than failing the scrape.
  new client.Gauge({
    name: "model_console_services_sync",
    help: "Services per sync state for each assignment key (every client and domain; departed services not counted), read from the database at scrape time.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      this.reset();
      let counts = null;
      try {
        counts = await syncCounts();
      } catch {
        counts = null;
      }
      if (counts) for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  const assignmentWrites = new client.Counter({
    name: "model_console_assignment_writes_total",
    help: "Assignment upserts by outcome: written, unchanged, dry_run, rejected (422), conflict, precondition_failed, forbidden, not_found, error.",
    labelNames: ["result"],
    registers: [registry],
  });
  const assignmentRejections = new client.Counter({
    name: "model_console_assignment_rejections_total",
    help: "Assignment upserts refused with 422, by reason (the kind of refusal, never an id).",
    labelNames: ["reason"],
    registers: [registry],
  });
  return {
    registry,
    httpRequests,
    httpDuration,
    inFlight,
    assignmentWrites,
    assignmentRejections,
    setPoolStats(fn) {
      poolStats = fn;
    },
    setSyncCounts(fn) {
      syncCounts = fn;
    },
  };
}

/** @returns {ReturnType<typeof create>} */
export function getMetrics() {
  globalThis[KEY] ??= create();
  return globalThis[KEY];
}

/** A method label with bounded values: anything unusual counts as OTHER. */
function methodLabel(method) {
  return HTTP_METHODS.has(method) ? method : "OTHER";
}

export function observeRequest(route, method, status, seconds) {
  const m = getMetrics();
  const methodValue = methodLabel(method);
  m.httpRequests.inc({ route, method: methodValue, status: String(status) });
  m.httpDuration.observe({ route, method: methodValue }, seconds);
}

export function countAssignmentWrite(result, reason) {
  const m = getMetrics();
  m.assignmentWrites.inc({ result });
  if (reason) m.assignmentRejections.inc({ reason });
}

export function setPoolStats(fn) {
  getMetrics().setPoolStats(fn);
}

export function setSyncCounts(fn) {
  getMetrics().setSyncCounts(fn);
}
