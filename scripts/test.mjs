// `npm test`: unit and API tests on PGlite; on PostgreSQL too when one is reachable (TEST_DATABASE_URL, or the
// local server at 127.0.0.1:5432), plus the multi-process concurrency test against production builds; then the
// Playwright e2e suite in Chromium against the production build. `npm test -- --no-e2e` skips the browser part.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { buildIfNeeded, root } from "./build-if-needed.mjs";
import { ensureChromium } from "./chromium.mjs";

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

const args = process.argv.slice(2);
const e2e = !args.includes("--no-e2e");
// A fresh machine has no browser: install Playwright's Chromium now (or say what to run), not after the unit tests.
if (e2e && !(await ensureChromium())) process.exit(1);

const env = { ...process.env };
if (!env.TEST_DATABASE_URL && (await reachable("127.0.0.1", 5432))) {
  env.TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
}
const vitestArgs = args.filter((a) => a !== "--no-e2e");
if (env.TEST_DATABASE_URL) {
  console.log(
    `[test] PostgreSQL tests on ${env.TEST_DATABASE_URL.replace(/\/\/[^@]*@/, "//***@")}`,
  );
} else {
  console.log(
    "[test] no PostgreSQL reachable: running on PGlite only (set TEST_DATABASE_URL to include PostgreSQL)",
  );
}
// The operations tests (tests/ops) and the e2e suite run the production build.
buildIfNeeded();

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
// Machine-readable results, for the one summary line at the end.
const resultsDir = path.join(root, "test-results");
fs.mkdirSync(resultsDir, { recursive: true });
const vitestJson = path.join(resultsDir, "vitest.json");
const playwrightJson = path.join(resultsDir, "playwright.json");
fs.rmSync(vitestJson, { force: true });
fs.rmSync(playwrightJson, { force: true });

const counts = { passed: 0, failed: 0 };
const readJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null);
const summary = () => console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed`);

const vitest = run(process.execPath, [
  "node_modules/vitest/vitest.mjs",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestJson}`,
  ...vitestArgs,
]);
const v = readJson(vitestJson);
if (v) {
  counts.passed += v.numPassedTests;
  counts.failed += v.numFailedTests;
}
if (vitest.status !== 0) {
  summary();
  process.exit(vitest.status ?? 1);
}

// The production server answers /v2 without Next's pipeline (scripts/v2-fast-path.mjs); V2_VIA_NEXT=1 sends it
// through Next. Every test above ran the fast path; the API tests that speak HTTP to production servers run again
// through Next (about 2 minutes), so neither path can rot unnoticed (tests/ops/fast-path.test.ts compares the two
// answer by answer).
const viaNextJson = path.join(resultsDir, "vitest-via-next.json");
fs.rmSync(viaNextJson, { force: true });
const viaNext = spawnSync(
  process.execPath,
  [
    "node_modules/vitest/vitest.mjs",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${viaNextJson}`,
    "tests/ops/compression.test.ts",
    "tests/ops/metrics-logs.test.ts",
    ...(env.TEST_DATABASE_URL
      ? [
          "tests/concurrency/two-processes.test.ts",
          "tests/concurrency/changes-two-processes.test.ts",
        ]
      : []),
  ],
  { cwd: root, stdio: "inherit", env: { ...env, V2_VIA_NEXT: "1" } },
);
const vn = readJson(viaNextJson);
if (vn) {
  counts.passed += vn.numPassedTests;
  counts.failed += vn.numFailedTests;
}
if (viaNext.status !== 0 || !e2e) {
  summary();
  process.exit(viaNext.status ?? 1);
}

const started = Date.now();
// The e2e suite writes into the same results folder; keep the Vitest report out of its way.
const playwright = spawnSync(
  process.execPath,
  ["node_modules/@playwright/test/cli.js", "test", "--reporter=list,json"],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
  },
);
console.log(`[test] e2e suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
const p = readJson(playwrightJson);
if (p?.stats) {
  counts.passed += p.stats.expected + (p.stats.flaky ?? 0);
  counts.failed += p.stats.unexpected;
}
summary();
process.exit(playwright.status ?? 1);
