// CPU per cached read on the machine path (issue 19: ≤ 0.3 ms): the production server, /v2 on the fast path, its
// database, and a closed-loop load of keep-alive connections on one URL at a time: liveness, the whole-domain
// effective read (served from the answer cache), its 304 (If-None-Match), one service's effective read. Server CPU
// per request is the server process's CPU time (from /proc) over the phase ÷ the requests answered; these reads
// never reach the database, so the server's figure is the whole cost. Needs the production build (npm run build).
//
//   npm run bench:read-path            (DRIVER=postgres with TEST_DATABASE_URL, default pglite)
//   SECONDS=6 ROUNDS=3 CONN=20 CASES=live,domain,domain304,effective V2_VIA_NEXT=1
//   PROFILE=/tmp/dir                   node --cpu-prof of the server (then npx tsx bench/profile-summary.ts /tmp/dir)
//
// The server is pinned to core 0 and this process to core 1 when taskset exists.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { hasTaskset, ROOT } from "./server";
import { createStore, KEY_BASE, recordToken, startOn } from "../tests/ops/ops-helpers";
import type { DriverName } from "../tests/helpers/test-database";
import { runBench } from "./main";

const SECONDS = Number(process.env.SECONDS ?? 6);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONN = Number(process.env.CONN ?? 20);
const CASES = (process.env.CASES ?? "live,domain,domain304,effective").split(",");
const DRIVER = (process.env.DRIVER ?? "pglite") as DriverName;
const HZ = 100;
const DOMAIN = "/v2/clients/client-1/domains/south_australia/assignments/default/effective";
const SERVICE = `${KEY_BASE}/default/effective`;

function cpuSeconds(pid: number): number {
  const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / HZ;
}

/** `conn` keep-alive connections, each sending the next request when its answer is in, for `seconds`. */
async function load(
  base: string,
  path: string,
  headers: Record<string, string>,
  expect: number,
  seconds: number,
): Promise<{ done: number; bad: number }> {
  const url = new URL(path, base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONN });
  const until = performance.now() + seconds * 1000;
  let done = 0;
  let bad = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = http.get({ host: url.hostname, port: url.port, path, headers, agent }, (res) => {
        if (res.statusCode !== expect) bad++;
        res.resume();
        res.on("end", () => {
          done++;
          resolve();
        });
      });
      req.on("error", () => {
        bad++;
        resolve();
      });
    });
  await Promise.all(
    Array.from({ length: CONN }, async () => {
      while (performance.now() < until) await one();
    }),
  );
  agent.destroy();
  return { done, bad };
}

async function main(): Promise<void> {
  if (hasTaskset()) spawnSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" });
  if (DRIVER === "postgres")
    process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
  const store = await createStore(DRIVER);
  const token = await recordToken(store, ["admin"], "bench-read-path");
  const profile = process.env.PROFILE;
  const server = await startOn(store, {
    ...(process.env.V2_VIA_NEXT ? { V2_VIA_NEXT: process.env.V2_VIA_NEXT } : {}),
    ...(profile
      ? { NODE_OPTIONS: `--import ${ROOT}/bench/cpu-prof-preload.mjs`, CPU_PROF_DIR: profile }
      : {}),
  });
  if (hasTaskset())
    spawnSync("taskset", ["-a", "-cp", "0", String(server.pid)], { stdio: "ignore" });
  try {
    const auth = { authorization: `Bearer ${token}` };
    const first = await fetch(`${server.url}${DOMAIN}`, { headers: auth });
    const etag = first.headers.get("etag") ?? "";
    await first.text();
    const cases: Record<string, { path: string; headers: Record<string, string>; status: number }> =
      {
        live: { path: "/v2/health/live", headers: {}, status: 200 },
        domain: { path: DOMAIN, headers: auth, status: 200 },
        domain304: { path: DOMAIN, headers: { ...auth, "if-none-match": etag }, status: 304 },
        effective: { path: SERVICE, headers: auth, status: 200 },
      };
    const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    console.log(
      `read path: ${DRIVER}, ${process.env.V2_VIA_NEXT === "1" ? "through Next" : "fast path"}, ${CONN} connections, ${ROUNDS} × ${SECONDS} s per case; load average ${loadavg()}`,
    );
    for (const k of CASES) {
      const c = cases[k]!;
      await load(server.url, c.path, c.headers, c.status, 2); // warm-up
    }
    const rows: Record<string, { rps: number; cpuMs: number; bad: number }[]> = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (const k of CASES) {
        const c = cases[k]!;
        const cpu0 = cpuSeconds(server.pid);
        const t0 = performance.now();
        const { done, bad } = await load(server.url, c.path, c.headers, c.status, SECONDS);
        const s = (performance.now() - t0) / 1000;
        const cpu = cpuSeconds(server.pid) - cpu0;
        (rows[k] ??= []).push({ rps: done / s, cpuMs: (cpu * 1000) / done, bad });
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    for (const [k, rs] of Object.entries(rows)) {
      console.log(
        `  ${k.padEnd(10)} ${med(rs.map((x) => x.rps))
          .toFixed(0)
          .padStart(
            6,
          )} req/s   server CPU ${med(rs.map((x) => x.cpuMs)).toFixed(3)} ms/req (rounds: ${rs.map((x) => x.cpuMs.toFixed(3)).join(", ")})   unexpected ${rs.reduce((a, x) => a + x.bad, 0)}`,
      );
    }
    console.log(`  load average after: ${loadavg()}`);
  } finally {
    await server.stop();
    await store.drop();
  }
}

runBench(main);
