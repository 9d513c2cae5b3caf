// The load generator: N keep-alive connections, each sending its next request as soon as the previous one
// answers (closed loop), for a warm-up and then a fixed measured window. Latency is taken per request with
// process.hrtime; a request counts when its answer arrives inside the measured window. Non-2xx answers and
// socket errors are counted as errors (and a few are kept as samples).
//
// Run as a child process (bench/run.ts pins it to its own core with taskset):
//   node --import tsx bench/load.ts '<LoadConfig as JSON>'   -> prints one LoadResult as JSON on stdout
import http from "node:http";
import { pathToFileURL } from "node:url";

export type CaseKind =
  "live" | "put-distinct" | "put-hot" | "effective" | "revalidate" | "domain-gzip";

/** domain-gzip: services in the domain the case makes, read whole with Accept-Encoding: gzip. */
export const GZIP_DOMAIN_SERVICES = 1000;

export type LoadConfig = {
  baseUrl: string;
  token: string;
  kind: CaseKind;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** put-distinct: how many distinct assignment keys the requests cycle through. */
  distinctKeys: number;
  /** Where the bench writes (the demo's client, domain and service). */
  clientId: string;
  domainId: string;
  serviceId: string;
  /** Prefixes keys and metadata so two runs on one database never collide. */
  runTag: string;
};

export type LoadResult = {
  kind: CaseKind;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  errors: number;
  statusCounts: Record<string, number>;
  errorSamples: string[];
  /** Requests sent in total (warm-up included): for put-distinct, how far the key cycle got. */
  sent: number;
  /** The load generator's own CPU use, % of one core, over the whole run (it must not be the bottleneck). */
  cpuPct: number;
  /** Monotonic clock (µs, same clock as V8's CPU profiles) at the start and end of the measured window. */
  windowStartUs: number;
  windowEndUs: number;
};

type Req = {
  method: "GET" | "PUT";
  path: string;
  body?: string;
  ifNoneMatch?: string;
  gzip?: boolean;
};

const gzipDomainPath = (config: Pick<LoadConfig, "clientId" | "runTag">) =>
  `/v2/clients/${config.clientId}/domains/gz-${config.runTag}/assignments/default/effective?limit=10000`;

/** domain-gzip: makes a domain of GZIP_DOMAIN_SERVICES services through the API, with a domain default. */
async function makeGzipDomain(config: LoadConfig): Promise<void> {
  const base = `${config.baseUrl}/v2/clients/${config.clientId}/domains`;
  const domain = `gz-${config.runTag}`;
  const send = async (method: string, url: string, body: unknown) => {
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${config.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`domain-gzip setup: ${method} ${url}: ${res.status} ${text}`);
  };
  await send("POST", base, { domain_id: domain, name: `Bench ${domain}` });
  for (let i = 0; i < GZIP_DOMAIN_SERVICES; i++)
    await send("POST", `${base}/${domain}/services`, {
      service_id: `svc-${String(i).padStart(5, "0")}`,
      name: `Bench service ${i}`,
      provided_features: { mode: "bus", route: `route-${i}`, stops: i % 30 },
    });
  await send("PUT", `${base}/${domain}/assignments/default`, {
    model_id: "example-model",
    model_version: "1.0.0",
  });
  // Decoded once, the answer is the whole domain (the double-gzip bug would fail here).
  const res = await fetch(`${config.baseUrl}${gzipDomainPath(config)}`, {
    headers: { authorization: `Bearer ${config.token}`, "accept-encoding": "gzip" },
  });
  const items = ((await res.json()) as { items: unknown[] }).items.length;
  if (res.headers.get("content-encoding") !== "gzip" || items !== GZIP_DOMAIN_SERVICES)
    throw new Error(
      `domain-gzip setup: expected ${GZIP_DOMAIN_SERVICES} items gzipped, got ${items} (${res.headers.get("content-encoding")})`,
    );
}

/** revalidate: the whole-domain effective read of the domain's `default` key, sent with its current ETag. */
const revalidatePath = (config: Pick<LoadConfig, "clientId" | "domainId">) =>
  `/v2/clients/${config.clientId}/domains/${config.domainId}/assignments/default/effective`;

function requestFor(config: LoadConfig, seq: number, etag?: string): Req {
  const { clientId, domainId, serviceId, runTag } = config;
  const servicePath = `/v2/clients/${clientId}/domains/${domainId}/service/${serviceId}/assignments`;
  switch (config.kind) {
    case "live":
      return { method: "GET", path: "/v2/health/live" };
    case "effective":
      return { method: "GET", path: `${servicePath}/default/effective` };
    case "revalidate":
      return { method: "GET", path: revalidatePath(config), ifNoneMatch: etag };
    case "domain-gzip":
      return { method: "GET", path: gzipDomainPath(config), gzip: true };
    case "put-distinct": {
      // Every request a different key until the cycle wraps; each pass flips the version, and the metadata
      // always changes, so every request writes a revision.
      const key = `${runTag}-k${seq % config.distinctKeys}`;
      const pass = Math.floor(seq / config.distinctKeys);
      return {
        method: "PUT",
        path: `${servicePath}/${key}`,
        body: JSON.stringify({
          model_id: "example-model",
          model_version: pass % 2 === 0 ? "1.0.0" : "2.0.0",
          metadata: { bench: runTag, seq },
        }),
      };
    }
    case "put-hot":
      return {
        method: "PUT",
        path: `${servicePath}/${runTag}-hot`,
        body: JSON.stringify({
          model_id: "example-model",
          model_version: seq % 2 === 0 ? "1.0.0" : "2.0.0",
          metadata: { bench: runTag, seq },
        }),
      };
  }
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const url = new URL(config.baseUrl);
  // revalidate: the ETag a client holds, read once before the run; every request then answers 304.
  let etag: string | undefined;
  if (config.kind === "revalidate") {
    const res = await fetch(`${config.baseUrl}${revalidatePath(config)}`, {
      headers: { authorization: `Bearer ${config.token}` },
    });
    await res.text();
    etag = res.headers.get("etag") ?? undefined;
    if (res.status !== 200 || !etag) throw new Error(`revalidate: no ETag (${res.status})`);
  }
  if (config.kind === "domain-gzip") await makeGzipDomain(config);
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: config.connections,
    maxFreeSockets: config.connections,
  });
  const started = nowUs();
  const cpuAtStart = process.cpuUsage();
  const windowStart = started + Math.round(config.warmupSeconds * 1e6);
  const windowEnd = windowStart + Math.round(config.seconds * 1e6);
  // Hard stop even if the server hangs: the window plus 30 s for in-flight requests.
  const hardDeadline = windowEnd + 30e6;

  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  let seq = 0;

  const send = (req: Req) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = { authorization: `Bearer ${config.token}` };
      if (req.ifNoneMatch) headers["if-none-match"] = req.ifNoneMatch;
      if (req.gzip) headers["accept-encoding"] = "gzip";
      if (req.body !== undefined) {
        headers["content-type"] = "application/json";
        headers["content-length"] = Buffer.byteLength(req.body);
      }
      const r = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          agent,
          headers,
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          res.on("error", reject);
        },
      );
      r.on("timeout", () => r.destroy(new Error("request timed out after 30 s")));
      r.on("error", reject);
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });

  const worker = async () => {
    for (;;) {
      const t0 = nowUs();
      if (t0 >= windowEnd || t0 >= hardDeadline) return;
      const req = requestFor(config, seq++, etag);
      let status = 0;
      let body = "";
      try {
        ({ status, body } = await send(req));
      } catch (error) {
        body = (error as Error).message;
      }
      const t1 = nowUs();
      // Throughput and latency over the answers that arrive inside the window.
      if (t1 < windowStart || t1 > windowEnd) continue;
      const label = status === 0 ? "socket-error" : String(status);
      statusCounts[label] = (statusCounts[label] ?? 0) + 1;
      if ((status >= 200 && status < 300) || (status === 304 && config.kind === "revalidate")) {
        latencies.push((t1 - t0) / 1000);
      } else {
        errors++;
        if (errorSamples.length < 5)
          errorSamples.push(`${req.method} ${req.path} -> ${label}: ${body.slice(0, 300)}`);
      }
    }
  };

  // Tell the parent (bench/run.ts reads stdout line by line) when the measured window opens and closes, so it
  // can read CPU counters over exactly that window.
  const emitted = new Set<string>();
  const event = (name: string) => {
    if (emitted.has(name)) return;
    emitted.add(name);
    process.stdout.write(JSON.stringify({ event: name }) + "\n");
  };
  const timers = [
    setTimeout(() => event("window-start"), (windowStart - nowUs()) / 1000),
    setTimeout(() => event("window-end"), (windowEnd - nowUs()) / 1000),
  ];
  await Promise.all(Array.from({ length: config.connections }, () => worker()));
  // The last answers can land before the window-end timer fires: emit whatever is still due, in order.
  for (const t of timers) clearTimeout(t);
  event("window-start");
  event("window-end");
  agent.destroy();
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuPct = (100 * (cpu.user + cpu.system)) / Math.max(1, nowUs() - started);

  const sorted = Float64Array.from(latencies).sort();
  const ok = sorted.length;
  const mean = ok ? sorted.reduce((a, b) => a + b, 0) / ok : NaN;
  return {
    kind: config.kind,
    connections: config.connections,
    seconds: config.seconds,
    requests: ok + errors,
    // Throughput counts successful answers only: an erroring route must not look fast.
    rps: ok / config.seconds,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: ok ? sorted[ok - 1]! : NaN,
    mean,
    errors,
    statusCounts,
    errorSamples,
    sent: seq,
    cpuPct,
    windowStartUs: windowStart,
    windowEndUs: windowEnd,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = JSON.parse(process.argv[2] ?? "{}") as LoadConfig;
  runLoad(config).then(
    (result) => {
      process.stdout.write(JSON.stringify(result) + "\n");
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
