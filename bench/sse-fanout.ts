// Change-stream fan-out (issue 19): many open `Accept: text/event-stream` streams on one domain's change feed and a
// burst of writes into it. Per (write, stream): the time from sending the write to its event reaching that stream
// (p50/p99); and the server's CPU per delivered event, total and marginal (the same burst with no stream open is
// run first; its CPU is what the writes cost by themselves). Needs the production build (npm run build).
//
//   npm run bench:sse           (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres;
//                                DRIVER=pglite for the embedded database)
//   STREAMS=200 TOKENS=4 WRITES=100 CONCURRENCY=4 ROUNDS=2 PROFILE=/tmp/dir (node --cpu-prof of the server)
//
// The streams are spread over TOKENS tokens, with CHANGE_STREAMS_PER_CREDENTIAL raised to fit. The server is pinned
// to core 0 and this process (the clients and the writer) to core 1 when taskset exists.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { hasTaskset, ROOT } from "./server";
import { createStore, KEY_BASE, recordToken, startOn } from "../tests/ops/ops-helpers";
import type { DriverName } from "../tests/helpers/test-database";
import { runBench } from "./main";

const STREAMS = Number(process.env.STREAMS ?? 200);
const TOKENS = Number(process.env.TOKENS ?? 4);
const WRITES = Number(process.env.WRITES ?? 100);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const DRIVER = (process.env.DRIVER ?? "postgres") as DriverName;
const FEED = "/v2/clients/client-1/domains/south_australia/changes";
const HZ = 100;

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

/** CPU seconds (user + system) of a process so far, from /proc. */
function cpuSeconds(pid: number): number {
  const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / HZ;
}

type Stream = { req: http.ClientRequest; events: number };

/** Opens one stream; `onEvent(key, at)` for each change event, resolves once the stream has opened. */
function openStream(
  base: string,
  token: string,
  after: string,
  onEvent: (key: string, at: number) => void,
): Promise<Stream> {
  const url = new URL(`${FEED}?after=${after}`, base);
  return new Promise((resolve, reject) => {
    const stream: Stream = { req: null as unknown as http.ClientRequest, events: 0 };
    stream.req = http.get(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
        agent: false,
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream: ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding("utf8");
        let pending = "";
        res.on("data", (chunk: string) => {
          const at = performance.now();
          pending += chunk;
          let end: number;
          while ((end = pending.indexOf("\n\n")) !== -1) {
            const frame = pending.slice(0, end);
            pending = pending.slice(end + 2);
            const data = frame.split("\n").find((l) => l.startsWith("data: "));
            if (!data) continue;
            const item = JSON.parse(data.slice(6)) as { assignment_key?: string };
            stream.events++;
            if (item.assignment_key) onEvent(item.assignment_key, at);
          }
        });
        resolve(stream);
      },
    );
    stream.req.on("error", () => {});
  });
}

function put(base: string, token: string, key: string, body: unknown): Promise<number> {
  const url = new URL(`${KEY_BASE}/${key}`, base);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "PUT",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(text),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

async function latestCursor(base: string, token: string): Promise<string> {
  const res = await fetch(`${base}${FEED}?after=latest`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as { next_cursor: string }).next_cursor;
}

async function main(): Promise<void> {
  if (hasTaskset()) spawnSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" });
  process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
  const store = await createStore(DRIVER);
  const tokens: string[] = [];
  for (let i = 0; i < TOKENS; i++)
    tokens.push(await recordToken(store, ["admin"], `bench-sse-${i}`));
  const perToken = Math.ceil(STREAMS / TOKENS);
  const profile = process.env.PROFILE;
  const server = await startOn(store, {
    CHANGE_STREAMS_PER_CREDENTIAL: String(Math.min(1000, Math.max(10, perToken))),
    ...(profile
      ? { NODE_OPTIONS: `--import ${ROOT}/bench/cpu-prof-preload.mjs`, CPU_PROF_DIR: profile }
      : {}),
  });
  // startOn does not pin: pin the server (and every thread of it) to core 0 now.
  if (hasTaskset())
    spawnSync("taskset", ["-a", "-cp", "0", String(server.pid)], { stdio: "ignore" });
  const base = server.url;
  const load = `load average ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`;
  console.log(
    `change-stream fan-out: ${STREAMS} streams over ${TOKENS} tokens, ${WRITES} writes (${CONCURRENCY} at a time), ${ROUNDS} rounds, ${DRIVER}; ${load}`,
  );
  let round = 0;
  const burst = async (streams: number) => {
    const r = round++;
    const after = await latestCursor(base, tokens[0]!);
    const sentAt = new Map<string, number>();
    const answeredAt = new Map<string, number>();
    const latencies: number[] = [];
    const afterAnswer: number[] = [];
    const seen = new Map<string, number>();
    const onEvent = (key: string, at: number) => {
      const t0 = sentAt.get(key);
      if (t0 === undefined) return;
      latencies.push(at - t0);
      const answered = answeredAt.get(key);
      if (answered !== undefined) afterAnswer.push(at - answered);
      seen.set(key, (seen.get(key) ?? 0) + 1);
    };
    const open: Stream[] = [];
    for (let i = 0; i < streams; i++)
      open.push(await openStream(base, tokens[i % TOKENS]!, after, onEvent));
    await new Promise((r) => setTimeout(r, 500));
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    let next = 0;
    let failed = 0;
    const writer = async () => {
      while (next < WRITES) {
        const i = next++;
        const key = `sse-${r}-${i}`;
        sentAt.set(key, performance.now());
        const status = await put(base, tokens[0]!, key, {
          model_id: "example-model",
          model_version: "1.0.0",
          metadata: { round: r, i },
        });
        answeredAt.set(key, performance.now());
        if (status >= 300) failed++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, writer));
    const writesDone = performance.now();
    const expected = WRITES * streams;
    const deadline = Date.now() + 30_000;
    while (latencies.length < expected && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    const elapsed = performance.now() - t0;
    const cpu = cpuSeconds(server.pid) - cpu0;
    for (const s of open) s.req.destroy();
    await new Promise((r) => setTimeout(r, 300));
    return {
      streams,
      cpu,
      delivered: latencies.length,
      expected,
      failed,
      latencies,
      afterAnswer,
      writesMs: writesDone - t0,
      elapsed,
    };
  };
  try {
    const rows: Awaited<ReturnType<typeof burst>>[] = [];
    await burst(Math.min(STREAMS, 10)); // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      rows.push(await burst(0));
      rows.push(await burst(STREAMS));
    }
    for (const row of rows) {
      const tail =
        row.streams === 0
          ? ""
          : `; write → event p50 ${percentile(row.latencies, 50).toFixed(1)} ms, p99 ${percentile(row.latencies, 99).toFixed(1)} ms, max ${Math.max(...row.latencies).toFixed(1)} ms; delivered ${row.delivered}/${row.expected}`;
      console.log(
        `  ${String(row.streams).padStart(4)} streams: writes ${row.writesMs.toFixed(0)} ms (${row.failed} failed), server CPU ${(row.cpu * 1000).toFixed(0)} ms${tail}`,
      );
    }
    const quiet = rows.filter((r) => r.streams === 0).map((r) => r.cpu);
    const busy = rows.filter((r) => r.streams > 0);
    const baseCpu = quiet.reduce((a, b) => a + b, 0) / quiet.length;
    const perEvent = busy.map((r) => ((r.cpu - baseCpu) * 1e6) / r.delivered);
    const all = busy.flatMap((r) => r.latencies);
    const late = busy.flatMap((r) => r.afterAnswer);
    console.log(
      `  marginal server CPU per delivered event: ${perEvent.map((x) => x.toFixed(1)).join(", ")} µs ` +
        `(burst CPU with streams minus the mean without, ÷ events delivered; 10 ms tick resolution)`,
    );
    console.log(
      `  write → event at each stream, all rounds: p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms (n=${all.length}); ` +
        `events that came after the write's own answer (${late.length}), how long after: p50 ${percentile(late, 50).toFixed(1)} ms, p99 ${percentile(late, 99).toFixed(1)} ms`,
    );
  } finally {
    await server.stop();
    await store.drop();
  }
}

runBench(main);
