// `npm run bench`: throughput and latency of the API's hot routes against the liveness route of the same
// server, on PGlite and on PostgreSQL; the domain default upsert over 1,000 and 10,000 services (time and
// statement count); and a CPU profile of one server under the seed PUT load, summarised by area.
//
// Settings (environment):
//   BENCH_SECONDS=10        measured seconds per case       BENCH_WARMUP=3        warm-up seconds per case
//   BENCH_CONNECTIONS=10    concurrent keep-alive connections
//   BENCH_BACKENDS=pglite,postgres                         BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
//   BENCH_DD_SIZES=1000,10000                              BENCH_PROFILE=1 (0 skips the profiled run)
//   BENCH_PIN=1 (0 runs unpinned)                          BENCH_MAX_MINUTES=15 (hard stop for the whole run)
//   BENCH_BARE=1 (0 skips the bare node:http reference)    BENCH_QUIET_WAIT=60 / BENCH_QUIET_BUSY=20 (wait ≤ 60 s for < 20% busy)
//   BENCH_LOCK_WAIT=600 (seconds to wait for .e2e-server.lock, shared with the e2e server: no rebuild under a running server)
//   BENCH_MACHINES=1 (0 skips the machines-at-scale run: whole-domain read, feed latency across instances, 1,000 streams)
//
// Pinning (when taskset exists and there are ≥ 2 cores): the app server and the local PostgreSQL share core 0,
// the load generator runs alone on core 1.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "@/db/open";
import { mintToken } from "@/lib/server/auth/tokens";
import { apiTokens } from "@/db/schema";
import {
  allPostgresPids,
  cpuSnapshot,
  cpuUsage,
  machineBusy,
  type CpuSnapshot,
  type CpuUsage,
} from "./cpu";
import {
  createBenchDomains,
  domainDefaultHttp,
  domainDefaultInProcess,
  statementProbe,
  type HttpRun,
  type InProcessRun,
  type ProbeRow,
} from "./domain-default";
import { GZIP_DOMAIN_SERVICES, type CaseKind, type LoadConfig, type LoadResult } from "./load";
import {
  domainReadHttp,
  domainReadInProcess,
  feedLatency,
  openStreams,
  rssMb,
  type DomainReadHttp,
  type DomainReadInProcess,
  type FeedLatency,
} from "./machines";
import { pinPostgres } from "./pg-pin";
import {
  findProfile,
  profileMarkdown,
  summarizeProfile,
  type ProfileSummary,
} from "./profile-summary";
import { freePort, hasTaskset, pinned, ROOT, startBenchServer, type BenchServer } from "./server";

// ---- settings ----------------------------------------------------------------------------------------

/** The jti of the bench's admin token, recorded in each backend's database before its server starts. */
const BENCH_TOKEN_ID = randomUUID();
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const SECONDS = num("BENCH_SECONDS", 10);
const WARMUP = num("BENCH_WARMUP", 3);
const CONNECTIONS = Math.round(num("BENCH_CONNECTIONS", 10));
const BACKENDS = (process.env.BENCH_BACKENDS ?? "pglite,postgres")
  .split(",")
  .map((s) => s.trim()) as Backend[];
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DD_SIZES = (process.env.BENCH_DD_SIZES ?? "1000,10000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const DD_RUNS = 4; // the first creates revision 1 (or continues); the median of all is reported, the spread too
const PROFILE = process.env.BENCH_PROFILE !== "0";
const MAX_MINUTES = num("BENCH_MAX_MINUTES", 15);
const QUIET_WAIT = num("BENCH_QUIET_WAIT", 60);
const QUIET_BUSY = num("BENCH_QUIET_BUSY", 20);
// A case is flagged when processes other than ours used more than this % of the app core or the load core.
const FOREIGN_LIMIT = 15;
const DISTINCT_KEYS = 5000;
const AUTH_SECRET = "bench-auth-secret-0123456789-abcdefghijklmnop";
const CASES: { kind: CaseKind; label: string }[] = [
  { kind: "live", label: "GET /v2/health/live (no DB)" },
  {
    kind: "put-distinct",
    label: `PUT seed route, ${DISTINCT_KEYS.toLocaleString("en")} distinct keys`,
  },
  { kind: "put-hot", label: "PUT seed route, one hot key" },
  { kind: "effective", label: "GET …/assignments/{k}/effective" },
  { kind: "revalidate", label: "GET whole-domain effective, If-None-Match → 304" },
  {
    kind: "domain-gzip",
    label: `GET whole-domain effective, ${GZIP_DOMAIN_SERVICES.toLocaleString("en")} services, Accept-Encoding: gzip`,
  },
];

type Backend = "pglite" | "postgres";
const BACKEND_LABEL: Record<Backend, string> = { pglite: "PGlite", postgres: "PostgreSQL" };

const canPin = process.env.BENCH_PIN !== "0" && os.cpus().length >= 2 && hasTaskset();
const APP_CORE = canPin ? "0" : null;
const LOAD_CORE = canPin ? "1" : null;

// ---- cleanup and the hard stop ------------------------------------------------------------------------

const cleanups: (() => Promise<void> | void)[] = [];
async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (error) {
      console.error(`[bench] cleanup failed: ${(error as Error).message}`);
    }
  }
}
const watchdog = setTimeout(async () => {
  console.error(`[bench] hard stop: the run exceeded ${MAX_MINUTES} minutes`);
  await runCleanups();
  process.exit(2);
}, MAX_MINUTES * 60_000);
watchdog.unref();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    console.error(`[bench] ${signal}: cleaning up`);
    await runCleanups();
    process.exit(130);
  });
}

const log = (msg: string) => console.log(`[bench] ${msg}`);

// ---- the build lock -----------------------------------------------------------------------------------

// The same lock as e2e/start-server.mjs: while it is held nobody rebuilds .next under a running server
// (a rebuild mid-run would break our servers, and our build-if-needed would break theirs).
const LOCK_PATH = path.join(ROOT, ".e2e-server.lock");
const LOCK_WAIT_SECONDS = num("BENCH_LOCK_WAIT", 600);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function acquireBuildLock(): Promise<() => void> {
  for (let waited = 0; waited <= LOCK_WAIT_SECONDS; waited += 2) {
    try {
      fs.writeFileSync(LOCK_PATH, String(process.pid), { flag: "wx" });
      const release = () => {
        try {
          if (fs.readFileSync(LOCK_PATH, "utf8") === String(process.pid))
            fs.rmSync(LOCK_PATH, { force: true });
        } catch {
          // already gone
        }
      };
      process.on("exit", release);
      return release;
    } catch {
      const holder = Number(fs.readFileSync(LOCK_PATH, "utf8"));
      if (!holder || !isAlive(holder)) {
        fs.rmSync(LOCK_PATH, { force: true });
        continue;
      }
      if (waited % 30 === 0)
        log(
          `waiting for the process holding ${path.basename(LOCK_PATH)} (pid ${holder}, an e2e server or another bench)...`,
        );
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  throw new Error(`gave up waiting ${LOCK_WAIT_SECONDS} s for ${LOCK_PATH}`);
}

const buildIdPath = path.join(ROOT, ".next", "BUILD_ID");
const buildStamp = () =>
  fs.existsSync(buildIdPath)
    ? `${fs.readFileSync(buildIdPath, "utf8").trim()}@${fs.statSync(buildIdPath).mtimeMs}`
    : "none";

// ---- helpers ------------------------------------------------------------------------------------------

function runLoadChild(
  config: LoadConfig,
  onEvent: (name: string) => void = () => {},
): Promise<LoadResult> {
  const { cmd, args } = pinned(LOAD_CORE, [
    "--import",
    "tsx",
    path.join(ROOT, "bench", "load.ts"),
    JSON.stringify(config),
  ]);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let pending = "";
    let result: LoadResult | undefined;
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      pending += d.toString();
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (!line.startsWith("{")) continue;
        try {
          const msg = JSON.parse(line) as { event?: string } & Partial<LoadResult>;
          if (msg.event) onEvent(msg.event);
          else if (msg.kind) result = msg as LoadResult;
        } catch {
          // not ours
        }
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const limit = setTimeout(
      () => child.kill("SIGKILL"),
      (config.warmupSeconds + config.seconds + 90) * 1000,
    );
    child.on("exit", (code) => {
      clearTimeout(limit);
      if (code === 0 && result) resolve(result);
      else reject(new Error(`load generator failed (exit ${code}):\n${err}\n${out.slice(-2000)}`));
    });
  });
}

async function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `mac_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function postgresVersion(): Promise<string> {
  try {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    await c.connect();
    const { rows } = await c.query<{ v: string }>("select current_setting('server_version') as v");
    await c.end();
    return rows[0]!.v;
  } catch {
    return "unreachable";
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};

/** The PostgreSQL processes working for our database: its backends and the shared background processes. */
function ourPostgresPids(url: string): () => Promise<number[]> {
  const dbName = new URL(url).pathname.slice(1);
  return async () => {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      const { rows } = await c.query<{ pid: number }>(
        "select pid from pg_stat_activity where datname = $1 or backend_type <> 'client backend'",
        [dbName],
      );
      // (The postmaster is not listed; it only forks, so its CPU is negligible.)
      return rows.map((r) => r.pid);
    } catch {
      return allPostgresPids();
    } finally {
      await c.end().catch(() => {});
    }
  };
}

/** Waits (at most QUIET_WAIT s) until the machine is nearly idle, so other people's work does not skew the run. */
async function waitForQuiet(what: string): Promise<void> {
  const deadline = Date.now() + QUIET_WAIT * 1000;
  for (;;) {
    const busy = await machineBusy(2000);
    if (busy < QUIET_BUSY) return;
    if (Date.now() > deadline) {
      log(
        `!!! the machine is still ${busy.toFixed(0)}% busy with other work after ${QUIET_WAIT} s: running ${what} anyway (figures will be flagged)`,
      );
      return;
    }
    log(
      `machine ${busy.toFixed(0)}% busy with other work; waiting for it to calm down before ${what}...`,
    );
    await new Promise((r) => setTimeout(r, 3000));
  }
}

// ---- result types -------------------------------------------------------------------------------------

type DomainDefaultResult = { services: number; inProcess: InProcessRun[]; http: HttpRun[] };
type CaseResult = LoadResult & {
  label: string;
  ratio: number;
  cpu: CpuUsage;
  foreignOnLoadCore: number;
  /** Other processes took more than FOREIGN_LIMIT % of the app core (throughput understated). */
  contaminated: boolean;
  /** ... of the load generator's core (latencies may include scheduling delay of the load generator). */
  loadCoreBusy: boolean;
  /** Server + PostgreSQL CPU per answered request over the measured window: less sensitive to other processes than req/s. */
  cpuMsPerRequest: number;
  /** 1000 / cpuMsPerRequest: what one dedicated core would serve. */
  impliedRps: number;
  /** impliedRps / the liveness route's impliedRps. */
  cpuRatio: number;
};
type BackendResult = {
  backend: Backend;
  cases: CaseResult[];
  domainDefault: DomainDefaultResult[];
  probe?: ProbeRow[];
  notes: string[];
  error?: string;
};

// ---- one backend --------------------------------------------------------------------------------------

async function benchBackend(
  backend: Backend,
  token: string,
): Promise<BackendResult & { keep?: { env: Record<string, string>; drop: () => Promise<void> } }> {
  const notes: string[] = [];
  const result: BackendResult = { backend, cases: [], domainDefault: [], notes };
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  if (backend === "postgres") {
    const scratch = await createScratchDatabase();
    env = { DATABASE_URL: scratch.url };
    drop = scratch.drop;
    notes.push(`scratch database ${new URL(scratch.url).pathname.slice(1)} (dropped afterwards)`);
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mac-bench-pglite-"));
    env = { DATA_DIR: dir };
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
    notes.push("fresh DATA_DIR in the temp folder (removed afterwards)");
  }
  let dropped = false;
  const dropOnce = async () => {
    if (!dropped) {
      dropped = true;
      await drop();
    }
  };
  cleanups.push(dropOnce);

  // 1. In-process: migrate + seed, the bench domains, and the domain default upsert with statement counts.
  log(`${backend}: preparing the database and ${DD_SIZES.join(" + ")} bench services`);
  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    seedDemo: true,
    poolSize: 4,
  });
  try {
    // The server accepts only tokens recorded in api_tokens: record the bench's, as `npm run token` would.
    await database.db
      .insert(apiTokens)
      .values({
        id: BENCH_TOKEN_ID,
        name: "bench",
        subject: "bench",
        scopes: ["admin"],
        clients: ["*"],
        createdBy: "bench",
        expiresAt: new Date(Date.now() + 86_400_000),
      })
      .onConflictDoNothing();
    const t0 = performance.now();
    await createBenchDomains(database, DD_SIZES);
    notes.push(`bench services inserted by SQL in ${(performance.now() - t0).toFixed(0)} ms`);
    result.probe = await statementProbe(database);
    for (const size of DD_SIZES) {
      const runs = await domainDefaultInProcess(database, size, DD_RUNS, `${backend}-inproc`);
      result.domainDefault.push({ services: size, inProcess: runs, http: [] });
      log(
        `${backend}: domain default over ${size} services in-process: ${runs.map((r) => `${r.ms.toFixed(0)} ms/${r.statements} stmts`).join(", ")}`,
      );
    }
  } finally {
    await database.close();
  }

  // 2. The server, pinned, with PostgreSQL pinned to the same core; first wait (bounded) for a quiet machine.
  await waitForQuiet(backend);
  let restorePg = () => {};
  if (backend === "postgres" && canPin) {
    const pin = pinPostgres(APP_CORE!);
    restorePg = pin.restore;
    cleanups.push(pin.restore);
    notes.push(pin.note);
  }
  let server: BenchServer | undefined;
  try {
    const port = await freePort();
    server = await startBenchServer({
      port,
      cores: APP_CORE,
      env: { ...env, AUTH_SECRET, SEED_DEMO: "true" },
    });
    const srv = server;
    cleanups.push(() => srv.stop());
    const runTag = `b${Date.now().toString(36)}`;
    const pgPids =
      backend === "postgres" ? ourPostgresPids(env.DATABASE_URL!) : async () => [] as number[];
    for (const c of CASES) {
      // CPU counters read when the load generator opens and closes its measured window.
      const snaps: Promise<CpuSnapshot>[] = [];
      const r = await runLoadChild(
        {
          baseUrl: server.url,
          token,
          kind: c.kind,
          connections: CONNECTIONS,
          warmupSeconds: WARMUP,
          seconds: SECONDS,
          distinctKeys: DISTINCT_KEYS,
          clientId: "client-1",
          domainId: "south_australia",
          serviceId: "service-1",
          runTag,
        },
        (name) => {
          if (name === "window-start" || name === "window-end")
            snaps.push(cpuSnapshot(server!.pid, pgPids));
        },
      );
      if (snaps.length !== 2)
        throw new Error(`the load generator reported ${snaps.length} window events, not 2`);
      const [before, after] = await Promise.all(snaps);
      const cpu = cpuUsage(before!, after!, {
        appCore: APP_CORE === null ? null : Number(APP_CORE),
        postgresOnAppCore: backend === "postgres" && canPin,
      });
      const foreignOnLoadCore =
        LOAD_CORE === null ? NaN : Math.max(0, (cpu.cores[Number(LOAD_CORE)] ?? 0) - r.cpuPct);
      const contaminated = cpu.foreignOnAppCore > FOREIGN_LIMIT;
      const loadCoreBusy = foreignOnLoadCore > FOREIGN_LIMIT;
      const live = result.cases[0];
      const cpuMsPerRequest =
        r.requests > 0 ? (cpu.serverCpuMs + cpu.postgresCpuMs) / r.requests : NaN;
      const impliedRps = 1000 / cpuMsPerRequest;
      result.cases.push({
        ...r,
        label: c.label,
        ratio: r.rps / (live?.rps ?? r.rps),
        cpu,
        foreignOnLoadCore,
        contaminated,
        loadCoreBusy,
        cpuMsPerRequest,
        impliedRps,
        cpuRatio: impliedRps / (live?.impliedRps ?? impliedRps),
      });
      log(
        `${backend}: ${c.kind.padEnd(12)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms` +
          `  ${cpuMsPerRequest.toFixed(2)} CPU ms/req` +
          `  (server ${cpu.server.toFixed(0)}% CPU, postgres ${cpu.postgres.toFixed(0)}%, load gen ${r.cpuPct.toFixed(0)}%, foreign on app core ${cpu.foreignOnAppCore.toFixed(0)}%)` +
          (r.errors ? `  !!! ${r.errors} ERRORS ${JSON.stringify(r.statusCounts)}` : "") +
          (contaminated ? "  !!! other processes competed for the app core" : "") +
          (loadCoreBusy ? "  (other processes busy on the load core)" : ""),
      );
      if (c.kind === "put-distinct") {
        const passes = r.sent / DISTINCT_KEYS;
        notes.push(
          `put-distinct sent ${r.sent} requests (warm-up included) over ${DISTINCT_KEYS} keys: ` +
            (passes <= 1
              ? "every request created the first revision of its key"
              : `${passes.toFixed(2)} passes, so later passes archived + inserted`),
        );
      }
    }
    // 3. The domain default over HTTP (the same upsert, through the server).
    for (const dd of result.domainDefault) {
      dd.http = await domainDefaultHttp(server.url, token, dd.services, DD_RUNS, `${backend}-http`);
      log(
        `${backend}: domain default over ${dd.services} services via HTTP: ${dd.http.map((r) => `${r.ms.toFixed(0)} ms (${r.status})`).join(", ")}`,
      );
    }
  } catch (error) {
    result.error =
      (error as Error).message +
      (server ? `\nserver output:\n${server.output().slice(-3000)}` : "");
    console.error(`[bench] ${backend} failed: ${result.error}`);
  } finally {
    await server?.stop();
    restorePg();
  }
  return { ...result, keep: { env, drop: dropOnce } };
}

// ---- the bare node:http reference -------------------------------------------------------------------------

type Baseline = LoadResult & { cpuMsPerRequest: number };

async function bareBaseline(token: string): Promise<Baseline | { error: string }> {
  const port = await freePort();
  const { cmd, args } = pinned(APP_CORE, [
    "--import",
    "tsx",
    path.join(ROOT, "bench", "bare-server.ts"),
    String(port),
  ]);
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    });
  cleanups.push(stop);
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("bare server did not start in 20 s")), 20_000);
      child.stdout.on(
        "data",
        (d: Buffer) => d.toString().includes("listening") && (clearTimeout(t), resolve()),
      );
      child.once("exit", (code) => reject(new Error(`bare server exited (${code})`)));
    });
    const snaps: Promise<CpuSnapshot>[] = [];
    const r = await runLoadChild(
      {
        baseUrl: `http://127.0.0.1:${port}`,
        token,
        kind: "live",
        connections: CONNECTIONS,
        warmupSeconds: WARMUP,
        seconds: SECONDS,
        distinctKeys: DISTINCT_KEYS,
        clientId: "client-1",
        domainId: "south_australia",
        serviceId: "service-1",
        runTag: "bare",
      },
      (name) => {
        if (name === "window-start" || name === "window-end") snaps.push(cpuSnapshot(child.pid!));
      },
    );
    if (snaps.length !== 2)
      throw new Error(`the load generator reported ${snaps.length} window events, not 2`);
    const [a, b] = await Promise.all(snaps);
    const cpu = cpuUsage(a!, b!, { appCore: null, postgresOnAppCore: false });
    return { ...r, cpuMsPerRequest: r.requests ? cpu.serverCpuMs / r.requests : NaN };
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    await stop();
  }
}

// ---- the profiled run ----------------------------------------------------------------------------------

async function profiledRun(
  backend: Backend,
  env: Record<string, string>,
  token: string,
): Promise<{ summary?: ProfileSummary; load?: LoadResult; dir: string; error?: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mac-bench-cpuprof-"));
  await waitForQuiet("the profiled run");
  let restorePg = () => {};
  if (backend === "postgres" && canPin) {
    const pin = pinPostgres(APP_CORE!);
    restorePg = pin.restore;
    cleanups.push(pin.restore);
  }
  let server: BenchServer | undefined;
  try {
    const port = await freePort();
    server = await startBenchServer({
      port,
      cores: APP_CORE,
      env: { ...env, AUTH_SECRET, SEED_DEMO: "true" },
      nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
    });
    const srv = server;
    cleanups.push(() => srv.stop());
    const load = await runLoadChild({
      baseUrl: server.url,
      token,
      kind: "put-distinct",
      connections: CONNECTIONS,
      warmupSeconds: WARMUP,
      seconds: SECONDS,
      distinctKeys: DISTINCT_KEYS,
      clientId: "client-1",
      domainId: "south_australia",
      serviceId: "service-1",
      runTag: `p${Date.now().toString(36)}`,
    });
    await server.stop();
    // The profile is written as the process exits.
    const deadline = Date.now() + 15_000;
    while (!fs.readdirSync(dir).some((f) => f.endsWith(".cpuprofile")) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const file = findProfile(dir);
    return {
      summary: summarizeProfile(file, { fromUs: load.windowStartUs, toUs: load.windowEndUs }),
      load,
      dir,
    };
  } catch (error) {
    return { dir, error: (error as Error).message };
  } finally {
    await server?.stop();
    restorePg();
  }
}

// ---- machines at scale ----------------------------------------------------------------------------------

type MachinesResult = {
  inProcess: DomainReadInProcess[];
  http?: DomainReadHttp;
  feed?: FeedLatency;
  streams?: {
    count: number;
    open: number;
    rssBeforeMb: number;
    rssWithMb: number;
    liveWithout: LoadResult;
    liveWith: LoadResult;
  };
  error?: string;
};

const MACHINE_RUNS = 5;
const STREAMS = 1000;

/** On the PostgreSQL database the backend run left (with its bench domains): see bench/machines.ts. */
async function machinesRun(env: Record<string, string>, token: string): Promise<MachinesResult> {
  const result: MachinesResult = { inProcess: [] };
  const database = await openDatabase({ url: env.DATABASE_URL, poolSize: 4 });
  try {
    for (const size of DD_SIZES) {
      const r = await domainReadInProcess(database, size, MACHINE_RUNS);
      result.inProcess.push(r);
      log(
        `postgres: whole-domain read over ${size} services in-process: ${r.ms.map((x) => x.toFixed(0)).join(", ")} ms, ${r.statements} statement(s), ${r.items} items, ${(r.bytes / 1e6).toFixed(1)} MB`,
      );
    }
  } finally {
    await database.close();
  }
  await waitForQuiet("the machines-at-scale run");
  let restorePg = () => {};
  if (canPin) {
    const pin = pinPostgres(APP_CORE!);
    restorePg = pin.restore;
    cleanups.push(pin.restore);
  }
  const servers: BenchServer[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const server = await startBenchServer({
        port: await freePort(),
        cores: APP_CORE,
        env: { ...env, AUTH_SECRET, SEED_DEMO: "true" },
      });
      servers.push(server);
      cleanups.push(() => server.stop());
    }
    const [a, b] = servers as [BenchServer, BenchServer];
    const biggest = Math.max(...DD_SIZES);
    result.http = await domainReadHttp(a.url, token, biggest, MACHINE_RUNS);
    log(
      `postgres: whole-domain read over ${biggest} services via HTTP after a change: ${result.http.afterChange.map((x) => `${x.ms.toFixed(0)} ms (${x.status})`).join(", ")}; cached ${result.http.cached.map((x) => x.ms.toFixed(1)).join(", ")} ms; 304 ${result.http.revalidated.map((x) => `${x.ms.toFixed(1)} (${x.status})`).join(", ")} ms`,
    );
    result.feed = await feedLatency(a.url, b.url, token, 100);
    log(
      `postgres: change on A → SSE client on B: p50 ${result.feed.p50.toFixed(1)} ms, p99 ${result.feed.p99.toFixed(1)} ms, max ${result.feed.max.toFixed(1)} ms, ${result.feed.missing} missing`,
    );
    const liveConfig: LoadConfig = {
      baseUrl: b.url,
      token,
      kind: "live",
      connections: CONNECTIONS,
      warmupSeconds: WARMUP,
      seconds: SECONDS,
      distinctKeys: DISTINCT_KEYS,
      clientId: "client-1",
      domainId: "south_australia",
      serviceId: "service-1",
      runTag: "streams",
    };
    const rssBeforeMb = rssMb(b.pid);
    const liveWithout = await runLoadChild(liveConfig);
    const streams = await openStreams(b.url, token, STREAMS);
    cleanups.push(() => streams.close());
    await new Promise((r) => setTimeout(r, 2000));
    const rssWithMb = rssMb(b.pid);
    const liveWith = await runLoadChild(liveConfig);
    const open = streams.open();
    streams.close();
    result.streams = { count: STREAMS, open, rssBeforeMb, rssWithMb, liveWithout, liveWith };
    log(
      `postgres: ${open} open streams on one instance: RSS ${rssBeforeMb.toFixed(0)} → ${rssWithMb.toFixed(0)} MB; liveness ${liveWithout.rps.toFixed(0)} → ${liveWith.rps.toFixed(0)} req/s`,
    );
  } catch (error) {
    result.error = (error as Error).message;
    log(`!!! machines-at-scale run failed: ${result.error}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    restorePg();
  }
  return result;
}

function machinesMarkdown(m: MachinesResult): string {
  const lines: string[] = ["## Machines at scale (PostgreSQL)", ""];
  if (m.error) lines.push(`> **The run failed: ${m.error}**`, "");
  lines.push(
    "Whole-domain effective read (`GET …/domains/{d}/assignments/{k}/effective`, one page of up to 10,000) as the route reads it on a cache miss, in-process, counting statements:",
    "",
    "| services | items | answer bytes | statements | ms (each run) | median ms |",
    "|---:|---:|---:|---:|---|---:|",
  );
  for (const r of m.inProcess)
    lines.push(
      `| ${r.services.toLocaleString("en")} | ${r.items.toLocaleString("en")} | ${r.bytes.toLocaleString("en")} | ${r.statements} | ${r.ms.map((x) => fmt(x)).join(", ")} | ${fmt(median(r.ms))} |`,
    );
  lines.push("");
  if (m.http) {
    const h = m.http;
    lines.push(
      `Over HTTP (${h.services.toLocaleString("en")} services, the pinned server; ${MACHINE_RUNS} rounds): after a change elsewhere in the domain (a service renamed, so the server must read again) ` +
        `${h.afterChange.map((x) => `${fmt(x.ms)}`).join(", ")} ms (median ${fmt(median(h.afterChange.map((x) => x.ms)))} ms, ${h.afterChange[0]?.bytes.toLocaleString("en")} bytes); ` +
        `unchanged, from the process's cache: median ${fmt(median(h.cached.map((x) => x.ms)), 1)} ms; If-None-Match: median ${fmt(median(h.revalidated.map((x) => x.ms)), 1)} ms (${[...new Set(h.revalidated.map((x) => x.status))].join("/")}).`,
      "",
    );
  }
  if (m.feed)
    lines.push(
      `A change committed on instance A reaches an SSE client on instance B (${m.feed.changes} service PATCHes one after another, 20 ms apart; measured from sending the PATCH): ` +
        `p50 ${fmt(m.feed.p50, 1)} ms, p99 ${fmt(m.feed.p99, 1)} ms, max ${fmt(m.feed.max, 1)} ms, ${m.feed.missing} missing.`,
      "",
    );
  if (m.streams) {
    const s = m.streams;
    lines.push(
      `${s.open.toLocaleString("en")} open SSE streams on one instance (of ${s.count.toLocaleString("en")} opened): server RSS ${fmt(s.rssBeforeMb)} MB before → ${fmt(s.rssWithMb)} MB with them; ` +
        `liveness ${fmt(s.liveWithout.rps)} req/s without → ${fmt(s.liveWith.rps)} req/s with them (${fmt(s.liveWith.rps / s.liveWithout.rps, 2)}×; p99 ${fmt(s.liveWithout.p99, 2)} → ${fmt(s.liveWith.p99, 2)} ms).`,
      "",
    );
  }
  const big = m.inProcess.at(-1);
  const httpMedian = m.http ? median(m.http.afterChange.map((x) => x.ms)) : NaN;
  const flat = new Set(m.inProcess.map((r) => r.statements)).size === 1;
  lines.push(
    "| target | measured | verdict |",
    "|---|---|---|",
    `| whole-domain read over ${big?.services.toLocaleString("en") ?? "?"} services < 150 ms (full answer) | ${fmt(httpMedian)} ms over HTTP after a change (median), ${fmt(big ? median(big.ms) : NaN)} ms in-process | ${httpMedian < 150 ? "met" : "**not met**"} |`,
    `| its statement count does not grow with N | ${m.inProcess.map((r) => `${r.services.toLocaleString("en")}: ${r.statements}`).join("; ")} | ${flat ? "met" : "**not met**"} |`,
  );
  if (m.feed)
    lines.push(
      `| change on A → SSE client on B < 1 s at p99 (100 changes) | p99 ${fmt(m.feed.p99, 1)} ms, ${m.feed.missing} missing | ${m.feed.p99 < 1000 && m.feed.missing === 0 ? "met" : "**not met**"} |`,
    );
  if (m.streams) {
    const ratio = m.streams.liveWith.rps / m.streams.liveWithout.rps;
    lines.push(
      `| 1,000 open streams: RSS < 300 MB | ${fmt(m.streams.rssWithMb)} MB (${m.streams.open} open) | ${m.streams.rssWithMb < 300 && m.streams.open >= 1000 ? "met" : "**not met**"} |`,
      `| 1,000 open streams: liveness ≥ 0.8× its rate without them | ${fmt(ratio, 2)}× | ${ratio >= 0.8 ? "met" : "**not met**"} |`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

// ---- report -------------------------------------------------------------------------------------------

function fmt(x: number, digits = 0): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "–";
}

function report(
  meta: Record<string, string>,
  results: BackendResult[],
  profile: Awaited<ReturnType<typeof profiledRun>> | null,
  profileBackend: Backend | null,
  baseline: Baseline | { error: string } | null,
): string {
  const lines: string[] = [];
  const contaminated = results.flatMap((r) =>
    r.cases.filter((c) => c.contaminated).map((c) => `${BACKEND_LABEL[r.backend]} ${c.kind}`),
  );
  const loadBusy = results.flatMap((r) =>
    r.cases.filter((c) => c.loadCoreBusy).map((c) => `${BACKEND_LABEL[r.backend]} ${c.kind}`),
  );
  const errorCases = results.flatMap((r) =>
    r.cases
      .filter((c) => c.errors > 0)
      .map(
        (c) =>
          `${BACKEND_LABEL[r.backend]} ${c.kind}: ${c.errors} errors ${JSON.stringify(c.statusCounts)}`,
      ),
  );
  const failed = results.filter((r) => r.error);
  lines.push("# Benchmark results", "");
  if (errorCases.length || failed.length) {
    lines.push("> **!!! THIS RUN HAD ERRORS — the figures below are not trustworthy !!!**", ">");
    for (const e of errorCases) lines.push(`> - ${e}`);
    for (const f of failed)
      lines.push(`> - ${BACKEND_LABEL[f.backend]} failed: ${f.error!.split("\n")[0]}`);
    lines.push("");
  }
  if (contaminated.length) {
    lines.push(
      `> **Warning: other processes used more than ${FOREIGN_LIMIT}% of a bench core during ${contaminated.join(", ")} (marked †): ` +
        "those req/s figures understate what the app can do; the CPU-cost columns below hold up better.**",
      "",
    );
  }
  if (loadBusy.length) {
    lines.push(
      `> Other processes also used more than ${FOREIGN_LIMIT}% of the load generator's core during ${loadBusy.join(", ")} (marked ‡): ` +
        "the load generator itself needs only 10–20% of it, but its latencies can include scheduling delay.",
      "",
    );
  }
  lines.push(
    `Run ${meta.date} · ${meta.machine} · Node ${meta.node} · PostgreSQL ${meta.postgres} · ${meta.pinning}`,
    "",
    `${CONNECTIONS} keep-alive connections, closed loop, ${WARMUP} s warm-up + ${SECONDS} s measured per case; ` +
      `latencies in ms; "× live" is req/s divided by the liveness route's req/s on the same server.`,
    "",
  );
  const header = ["case"];
  const sep = ["---"];
  for (const r of results) {
    const b = BACKEND_LABEL[r.backend];
    header.push(`${b} req/s`, "× live", "p50", "p99", "errors");
    sep.push("---:", "---:", "---:", "---:", "---:");
  }
  lines.push(`| ${header.join(" | ")} |`, `|${sep.join("|")}|`);
  for (const c of CASES) {
    const row = [c.label];
    for (const r of results) {
      const x = r.cases.find((k) => k.kind === c.kind);
      if (!x) row.push("–", "–", "–", "–", "–");
      else
        row.push(
          fmt(x.rps) + (x.contaminated ? " †" : "") + (x.loadCoreBusy ? " ‡" : ""),
          c.kind === "live" ? "1.00" : fmt(x.ratio, 2),
          fmt(x.p50, 2),
          fmt(x.p99, 2),
          x.errors ? `**${x.errors}**` : "0",
        );
    }
    lines.push(`| ${row.join(" | ")} |`);
  }
  lines.push("");
  if (baseline && !("error" in baseline)) {
    lines.push(
      `Reference (not Next): a bare \`node:http\` server answering the same liveness JSON on the same pinned core: ` +
        `${fmt(baseline.rps)} req/s, p50 ${fmt(baseline.p50, 2)} ms, p99 ${fmt(baseline.p99, 2)} ms, ${fmt(baseline.cpuMsPerRequest, 3)} CPU ms/req` +
        `${baseline.errors ? ` (**${baseline.errors} errors**)` : ""}` +
        (baseline.cpuPct > 80
          ? ` — limited by the load generator (${fmt(baseline.cpuPct)}% of its core), so a lower bound on node's ceiling`
          : "") +
        ".",
      "",
    );
  }

  // CPU accounting.
  lines.push(
    'CPU during each case (from /proc; % of one core; "foreign" = busy time on a bench core not explained by the server, PostgreSQL or the load generator). ' +
      '"CPU ms/req" is server + PostgreSQL CPU time per request and "implied req/s" = 1000 / that: what one dedicated core would serve, ' +
      "less sensitive to other processes than req/s (they mostly change how long a request waits), though heavy contention still inflates it (caches, context switches).",
    "",
    "| backend | case | server % | postgres % | load gen % | app core busy | load core busy | foreign on app core | foreign on load core | loadavg 1m | CPU ms/req | implied req/s | × live (CPU) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of results)
    for (const c of r.cases)
      lines.push(
        `| ${BACKEND_LABEL[r.backend]} | ${c.kind} | ${fmt(c.cpu.server)} | ${fmt(c.cpu.postgres)} | ${fmt(c.cpuPct)} | ${APP_CORE === null ? "–" : fmt(c.cpu.cores[Number(APP_CORE)] ?? NaN)} | ${LOAD_CORE === null ? "–" : fmt(c.cpu.cores[Number(LOAD_CORE)] ?? NaN)} | ${fmt(c.cpu.foreignOnAppCore)} | ${fmt(c.foreignOnLoadCore)} | ${c.cpu.loadavg1.toFixed(1)} | ${fmt(c.cpuMsPerRequest, 2)} | ${fmt(c.impliedRps)} | ${fmt(c.cpuRatio, 2)} |`,
      );
  lines.push("");

  // Domain default.
  lines.push(
    "## Domain default upsert over many services",
    "",
    `PUT /v2/clients/client-1/domains/bench_dd_N/assignments/bench-default, every service compatible; ${DD_RUNS} upserts per size, each writing a revision ` +
      "(version flips 1.0.0/2.0.0, metadata changes). In-process: `upsertAssignment` on the `Database` of db/client.ts with its query/transaction wrapped to count " +
      "statements (BEGIN and COMMIT included). HTTP: the same through the pinned server (token verification cached after the first request).",
    "",
    "| backend | services | HTTP median ms | HTTP runs ms | in-process median ms | statements per upsert | rows read by the largest statement |",
    "|---|---:|---:|---|---:|---:|---:|",
  );
  for (const r of results) {
    for (const dd of r.domainDefault) {
      const stmts = [...new Set(dd.inProcess.map((x) => x.statements))].join("/");
      const maxRows = Math.max(...dd.inProcess.flatMap((x) => x.log.map((l) => l.rows)));
      const httpOk = dd.http.every((h) => h.status === 200);
      lines.push(
        `| ${BACKEND_LABEL[r.backend]} | ${dd.services.toLocaleString("en")} | ${dd.http.length ? fmt(median(dd.http.map((h) => h.ms))) : "–"}${httpOk ? "" : " **(non-200!)**"} | ${dd.http.map((h) => fmt(h.ms)).join(", ")} | ${fmt(median(dd.inProcess.map((x) => x.ms)))} | ${stmts} | ${maxRows} |`,
      );
    }
  }
  const sample =
    results.find((r) => r.backend === "postgres")?.domainDefault.at(-1) ??
    results[0]?.domainDefault.at(-1);
  const sampleRun = sample?.inProcess.at(-1);
  if (sample && sampleRun) {
    lines.push(
      "",
      `Statements of one in-process upsert over ${sample.services.toLocaleString("en")} services (BEGIN/COMMIT not listed):`,
      "",
      "| # | statement | rows | ms |",
      "|---:|---|---:|---:|",
    );
    sampleRun.log.forEach((l, i) =>
      lines.push(
        `| ${i + 1} | \`${l.sql.replace(/\|/g, "\\|")}…\` | ${l.rows} | ${fmt(l.ms, 1)} |`,
      ),
    );
  }
  lines.push("");

  for (const r of results.filter((x) => x.probe?.length)) {
    lines.push(
      `Statements per request on ${BACKEND_LABEL[r.backend]} (in-process count, BEGIN/COMMIT included; over HTTP authentication adds one revocation-list query per process at most every 5 s):`,
      "",
      "| request | statements (= round trips) | what |",
      "|---|---:|---|",
    );
    for (const p of r.probe!)
      lines.push(
        `| ${p.what} | ${p.statements} | ${p.log.map((l) => `\`${l.sql.slice(0, 40).replace(/\|/g, "\\|")}…\``).join(", ")} |`,
      );
    lines.push("");
    break; // the app sends the same statements on both drivers
  }

  // Targets.
  lines.push(
    "## Against the targets",
    "",
    "Two readings: the measured req/s ratio, and the CPU-cost ratio (implied req/s on a dedicated core), which holds up better when other processes share the machine.",
    "",
    "| target | measured req/s ratio | CPU-cost ratio | verdict (req/s / CPU) |",
    "|---|---|---|---|",
  );
  for (const r of results) {
    const b = BACKEND_LABEL[r.backend];
    const get = (k: CaseKind) => r.cases.find((c) => c.kind === k);
    const check = (label: string, x: CaseResult | undefined, min: number) => {
      if (!x) return;
      const verdict = (v: number) => (v >= min ? "met" : "**not met**");
      lines.push(
        `| ${b}: ${label} ≥ ${min}× live | ${fmt(x.ratio, 2)}× (${fmt(x.rps)} vs ${fmt(get("live")?.rps ?? NaN)} req/s)${x.contaminated ? " †" : ""} | ` +
          `${fmt(x.cpuRatio, 2)}× (${fmt(x.cpuMsPerRequest, 2)} vs ${fmt(get("live")?.cpuMsPerRequest ?? NaN, 2)} CPU ms/req) | ` +
          `${x.errors ? "ERRORS" : `${verdict(x.ratio)} / ${verdict(x.cpuRatio)}`} |`,
      );
    };
    check("seed PUT, distinct keys", get("put-distinct"), 0.6);
    check("seed PUT, hot key", get("put-hot"), 0.6);
    check("effective", get("effective"), 0.75);
    check("304 revalidation", get("revalidate"), 0.8);
  }
  const pgRes = results.find((r) => r.backend === "postgres");
  if (pgRes && pgRes.domainDefault.length) {
    const biggest = pgRes.domainDefault.at(-1)!;
    const ms = biggest.http.length
      ? median(biggest.http.map((h) => h.ms))
      : median(biggest.inProcess.map((x) => x.ms));
    lines.push(
      `| PostgreSQL: domain default over ${biggest.services.toLocaleString("en")} services < 1 s | ${fmt(ms)} ms (HTTP median) | | ${ms < 1000 ? "met" : "**not met**"} |`,
    );
    const counts = pgRes.domainDefault.map(
      (d) =>
        `${d.services.toLocaleString("en")}: ${[...new Set(d.inProcess.map((x) => x.statements))].join("/")}`,
    );
    const flat =
      new Set(pgRes.domainDefault.flatMap((d) => d.inProcess.slice(1).map((x) => x.statements)))
        .size === 1;
    lines.push(
      `| statement count does not grow with the services | ${counts.join("; ")} | | ${flat ? "met" : "**not met**"} |`,
    );
  }
  lines.push("");

  for (const r of results) {
    lines.push(`Notes (${BACKEND_LABEL[r.backend]}): ${r.notes.join("; ")}.`, "");
    for (const c of r.cases.filter((x) => x.errors))
      for (const s of c.errorSamples)
        lines.push(`- error sample (${c.kind}): \`${s.replace(/`/g, "'")}\``);
  }

  if (profile && profileBackend) {
    lines.push("## Where time goes (CPU profile of the server under the seed PUT load)", "");
    if (profile.summary && profile.load) {
      lines.push(
        `${BACKEND_LABEL[profileBackend]}, \`node --cpu-prof\` on the server, put-distinct load (${fmt(profile.load.rps)} req/s with the profiler on, ${profile.load.errors} errors). ` +
          `Profile kept at \`${profile.dir}\` (not committed); re-run the summary with \`npx tsx bench/profile-summary.ts ${profile.dir}\`.`,
        "",
        profileMarkdown(profile.summary, "Self time by area"),
        profileBackend === "postgres" && canPin
          ? "Reading the pg driver's share: its socket writes (`writev`/`writeBuffer` under pg's query code) include the kernel's loopback TCP " +
              "path and, with PostgreSQL pinned to the server's core, waking the backend on that same core; that cost is paid once per statement " +
              "round trip, so it shrinks with fewer statements per request.\n"
          : "",
      );
    } else lines.push(`The profiled run failed: ${profile.error}`, "");
  }
  return lines.join("\n");
}

// ---- main ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  cleanups.push(await acquireBuildLock());
  log("building if needed (scripts/build-if-needed.mjs)");
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-if-needed.mjs")], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error(`build failed (${build.status})`);
  const stampAtStart = buildStamp();

  const cpu = os.cpus();
  const meta: Record<string, string> = {
    date: new Date().toISOString(),
    machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
    node: process.versions.node,
    postgres: await postgresVersion(),
    pinning: canPin
      ? "app server + PostgreSQL pinned to core 0, load generator to core 1 (taskset)"
      : "UNPINNED (taskset missing, fewer than 2 cores, or BENCH_PIN=0): app, database and load share all cores",
  };
  if (!canPin) log(`!!! ${meta.pinning}`);
  log(meta.pinning);

  const token = await mintToken(
    {
      sub: "bench",
      scopes: ["admin"],
      clients: "*",
      jti: BENCH_TOKEN_ID,
      expiresInSeconds: 86_400,
    },
    new TextEncoder().encode(AUTH_SECRET),
  );
  let baseline: Baseline | { error: string } | null = null;
  if (process.env.BENCH_BARE !== "0") {
    await waitForQuiet("the bare node:http reference");
    baseline = await bareBaseline(token);
    if ("error" in baseline) log(`!!! bare node:http reference failed: ${baseline.error}`);
    else
      log(
        `bare node:http reference: ${baseline.rps.toFixed(0)} req/s, p50 ${baseline.p50.toFixed(2)} ms, ${baseline.cpuMsPerRequest.toFixed(3)} CPU ms/req`,
      );
  }
  const results: BackendResult[] = [];
  const keeps: Partial<
    Record<Backend, { env: Record<string, string>; drop: () => Promise<void> }>
  > = {};
  for (const backend of BACKENDS) {
    if (backend === "postgres" && meta.postgres === "unreachable") {
      log(
        `!!! PostgreSQL at ${PG_URL.replace(/\/\/[^@]*@/, "//***@")} is unreachable: skipping it`,
      );
      results.push({
        backend,
        cases: [],
        domainDefault: [],
        notes: [],
        error: "PostgreSQL unreachable",
      });
      continue;
    }
    try {
      const { keep, ...r } = await benchBackend(backend, token);
      results.push(r);
      if (keep) keeps[backend] = keep;
    } catch (error) {
      console.error(`[bench] ${backend} failed: ${(error as Error).stack}`);
      results.push({
        backend,
        cases: [],
        domainDefault: [],
        notes: [],
        error: (error as Error).message,
      });
    }
  }

  let machines: MachinesResult | null = null;
  if (keeps.postgres && process.env.BENCH_MACHINES !== "0") {
    log("machines at scale: whole-domain read, change feed latency, 1,000 streams (PostgreSQL)");
    machines = await machinesRun(keeps.postgres.env, token);
  }

  let profile: Awaited<ReturnType<typeof profiledRun>> | null = null;
  const profileBackend: Backend | null = keeps.postgres
    ? "postgres"
    : keeps.pglite
      ? "pglite"
      : null;
  if (PROFILE && profileBackend) {
    log(`profiling the server under the seed PUT load (${profileBackend})`);
    profile = await profiledRun(profileBackend, keeps[profileBackend]!.env, token);
    if (profile.error) log(`!!! profiled run failed: ${profile.error}`);
  }
  await runCleanups();
  if (buildStamp() !== stampAtStart) {
    const msg =
      "the .next build changed during the run (someone rebuilt the app): the servers may have served a mix of builds";
    log(`!!! ${msg}`);
    for (const r of results) r.error ??= msg;
  }

  const md =
    report(meta, results, profile, profileBackend, baseline) +
    (machines ? `\n${machinesMarkdown(machines)}` : "");
  const outDir = path.join(ROOT, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "latest.md"), md + "\n");
  fs.writeFileSync(
    path.join(outDir, "latest.json"),
    JSON.stringify(
      {
        meta: {
          ...meta,
          seconds: SECONDS,
          warmup: WARMUP,
          connections: CONNECTIONS,
          distinctKeys: DISTINCT_KEYS,
        },
        results,
        machines,
        baseline,
        profile: profile
          ? {
              backend: profileBackend,
              dir: profile.dir,
              load: profile.load,
              summary: profile.summary,
              error: profile.error,
            }
          : null,
      },
      null,
      2,
    ) + "\n",
  );
  console.log("\n" + md);
  log(
    `wrote bench/results/latest.md and latest.json in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  const bad = results.some((r) => r.error || r.cases.some((c) => c.errors > 0));
  if (bad) {
    console.error("\n[bench] !!! THE RUN HAD ERRORS: see the top of bench/results/latest.md !!!");
    process.exitCode = 1;
  }
}

main().catch(async (error) => {
  console.error(error);
  await runCleanups();
  process.exit(1);
});
