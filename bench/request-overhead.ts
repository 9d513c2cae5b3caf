// `npx tsx bench/request-overhead.ts`: what scripts/server.mjs adds to every request, measured in isolation on the
// real build's routes: route-template matching, the metrics update, the JSON log line (pino, synchronous, to
// /dev/null as a stand-in for a pipe), and the AsyncLocalStorage context; microseconds per request.
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import { observeRequest } from "../lib/server/observability/metrics.mjs";
import {
  createRouteMatcher,
  loadBuildTemplates,
} from "../lib/server/observability/route-template.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const N = Number(process.env.N ?? 200_000);
const PATHS = [
  "/v2/clients/client-1/domains/south_australia/service/service-1/assignments/default",
  "/v2/health/live",
  "/v2/clients/client-1/domains/south_australia/assignments/default/preview",
  "/clients/client-1/domains/south_australia",
  "/_next/static/chunks/app.js",
];

function measure(name: string, fn: (i: number) => void): number {
  for (let i = 0; i < 10_000; i++) fn(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(i);
  const us = Number(process.hrtime.bigint() - start) / 1000 / N;
  console.log(`${name.padEnd(44)} ${us.toFixed(2)} µs/request`);
  return us;
}

const templateOf = createRouteMatcher(await loadBuildTemplates(path.join(ROOT, ".next")));
const logger = pino(
  { base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
  pino.destination({ dest: fs.openSync("/dev/null", "w"), sync: true }),
);
const als = new AsyncLocalStorage<{ requestId: string; actor?: string }>();

console.log(`${N} iterations, ${PATHS.length} paths in turn, Node ${process.version}`);
const parts = [
  measure("route template (build manifest, 48 routes)", (i) =>
    templateOf(PATHS[i % PATHS.length]!),
  ),
  measure("metrics: counter + histogram", (i) =>
    observeRequest(templateOf(PATHS[i % 2]!), "PUT", 200, 0.012),
  ),
  measure("request log line (pino, sync write)", (i) =>
    logger.info(
      {
        request_id: "0f8e7a1c-3b3c-4e55-9f1d-5b2f7d0e9a11",
        route: "/v2/clients/[client_id]",
        method: "GET",
        status: 200,
        duration_ms: i % 100,
        actor: "deploy-bot",
      },
      "request",
    ),
  ),
  measure("AsyncLocalStorage run + getStore", () =>
    als.run({ requestId: "x" }, () => {
      const store = als.getStore();
      if (store) store.actor = "deploy-bot";
    }),
  ),
];
console.log(
  `${"total (template counted twice above)".padEnd(44)} ~${(parts[0]! + parts.slice(1).reduce((a, b) => a + b, 0)).toFixed(1)} µs/request`,
);
