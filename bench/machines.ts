// Machines at scale (issue 9): the whole-domain effective read over many services (time for the full answer and
// statement count, in-process and over HTTP), a change's trip from one instance to an SSE client on another, and
// 1,000 open SSE streams on one instance (its RSS, and the liveness rate with and without them).
import fs from "node:fs";
import http from "node:http";
import type { Database } from "@/db/types";
import { readDomainEffective } from "@/lib/server/assignments/domain-effective";
import { createApiClient, followChanges } from "@/lib/client";
import {
  BENCH_CLIENT,
  countingDatabase,
  DD_KEY,
  ddDomain,
  type StatementLog,
} from "./domain-default";

export type DomainReadInProcess = {
  services: number;
  items: number;
  bytes: number;
  statements: number;
  ms: number[];
  log: StatementLog[];
};

/** The whole-domain read as the route runs it on a cache miss, counting its statements. */
export async function domainReadInProcess(
  database: Database,
  size: number,
  runs: number,
): Promise<DomainReadInProcess> {
  const counting = countingDatabase(database);
  const ms: number[] = [];
  let last: { body: string } | undefined;
  let statements = 0;
  let log: StatementLog[] = [];
  for (let i = 0; i < runs; i++) {
    counting.reset();
    const t0 = performance.now();
    last = await readDomainEffective(
      counting.database,
      { clientId: BENCH_CLIENT, domainId: ddDomain(size), key: DD_KEY },
      { limit: 10_000 },
    );
    ms.push(performance.now() - t0);
    log = counting.log();
    statements = log.length;
  }
  const parsed = JSON.parse(last!.body) as { items: unknown[] };
  return {
    services: size,
    items: parsed.items.length,
    bytes: last!.body.length,
    statements,
    ms,
    log,
  };
}

export type DomainReadHttp = {
  services: number;
  /** A change elsewhere in the domain first (a service renamed): the server reads the answer again. */
  afterChange: { ms: number; status: number; bytes: number }[];
  /** Nothing changed: the answer from the process's cache. */
  cached: { ms: number; status: number }[];
  /** If-None-Match with the current ETag. */
  revalidated: { ms: number; status: number }[];
};

export async function domainReadHttp(
  baseUrl: string,
  token: string,
  size: number,
  runs: number,
): Promise<DomainReadHttp> {
  const domain = ddDomain(size);
  const url = `${baseUrl}/v2/clients/${BENCH_CLIENT}/domains/${domain}/assignments/${DD_KEY}/effective`;
  const auth = { authorization: `Bearer ${token}` };
  const result: DomainReadHttp = { services: size, afterChange: [], cached: [], revalidated: [] };
  let etag = "";
  for (let i = 0; i < runs; i++) {
    const patch = await fetch(
      `${baseUrl}/v2/clients/${BENCH_CLIENT}/domains/${domain}/service/svc-000001`,
      {
        method: "PATCH",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ name: `Bench service 1 (run ${i})` }),
      },
    );
    await patch.text();
    if (patch.status !== 200) throw new Error(`PATCH before the read answered ${patch.status}`);
    const t0 = performance.now();
    const res = await fetch(url, { headers: auth });
    const text = await res.text();
    result.afterChange.push({ ms: performance.now() - t0, status: res.status, bytes: text.length });
    etag = res.headers.get("etag") ?? "";
    const t1 = performance.now();
    const again = await fetch(url, { headers: auth });
    await again.text();
    result.cached.push({ ms: performance.now() - t1, status: again.status });
    const t2 = performance.now();
    const revalidated = await fetch(url, { headers: { ...auth, "if-none-match": etag } });
    await revalidated.text();
    result.revalidated.push({ ms: performance.now() - t2, status: revalidated.status });
  }
  return result;
}

export type FeedLatency = {
  changes: number;
  ms: number[];
  missing: number;
  p50: number;
  p99: number;
  max: number;
};

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

/**
 * A stream on instance B (the typed client's followChanges); `count` changes made one after another on instance
 * A. Latency: from sending the write on A to the event arriving on B (an upper bound of commit → delivery).
 */
export async function feedLatency(
  writerUrl: string,
  readerUrl: string,
  token: string,
  count: number,
): Promise<FeedLatency> {
  const domain = "south_australia";
  const writer = createApiClient({ baseUrl: writerUrl, token });
  const after = await feedHead(writerUrl, token);
  const sentAt = new Map<string, number>();
  const arrived = new Map<string, number>();
  const controller = new AbortController();
  const stream = followChanges({
    baseUrl: readerUrl,
    token,
    clientId: "client-1",
    domainId: domain,
    after,
    signal: controller.signal,
  });
  const reading = (async () => {
    for await (const change of stream) {
      arrived.set(change.cursor, performance.now());
      if (arrived.size >= count) return;
    }
  })();
  await new Promise((r) => setTimeout(r, 500));
  const cursorBase = Number(after);
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    sentAt.set(String(cursorBase + i + 1), t0);
    const res = await writer.PATCH(
      "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}",
      {
        params: { path: { client_id: "client-1", domain_id: domain, service_id: "svc-001" } },
        body: { name: `Glenelg Tram ${i}` },
      },
    );
    if (res.response.status !== 200) throw new Error(`PATCH answered ${res.response.status}`);
    // One change at a time, as a person or a deploy makes them (not a burst).
    await new Promise((r) => setTimeout(r, 20));
  }
  const timer = setTimeout(() => controller.abort(), 10_000);
  await reading.catch(() => {});
  clearTimeout(timer);
  controller.abort();
  const ms: number[] = [];
  for (const [cursor, t0] of sentAt) {
    const t1 = arrived.get(cursor);
    if (t1 !== undefined) ms.push(t1 - t0);
  }
  return {
    changes: count,
    ms,
    missing: count - ms.length,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: Math.max(...ms),
  };
}

/** The demo domain's latest change cursor, from the whole-domain read's X-Change-Cursor header. */
async function feedHead(baseUrl: string, token: string): Promise<string> {
  const res = await fetch(
    `${baseUrl}/v2/clients/client-1/domains/south_australia/assignments/default/effective?limit=1`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  await res.text();
  const cursor = res.headers.get("x-change-cursor");
  if (res.status !== 200 || cursor === null) throw new Error(`no X-Change-Cursor (${res.status})`);
  return cursor;
}

/** Opens `count` SSE streams on the server (from the feed's head); resolves once every one has its first bytes. */
export async function openStreams(
  baseUrl: string,
  token: string,
  count: number,
): Promise<{ close: () => void; open: () => number }> {
  const url = new URL(`${baseUrl}/v2/clients/client-1/domains/south_australia/changes`);
  const after = await feedHead(baseUrl, token);
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const requests: http.ClientRequest[] = [];
  let open = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}?after=${after}`,
          agent,
          headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
        },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
          open++;
          res.once("data", () => resolve());
          res.on("data", () => {});
          res.on("close", () => open--);
          res.on("error", () => {});
        },
      );
      req.on("error", reject);
      req.end();
      requests.push(req);
    });
  for (let i = 0; i < count; i += 50)
    await Promise.all(Array.from({ length: Math.min(50, count - i) }, one));
  return {
    close: () => {
      for (const r of requests) r.destroy();
      agent.destroy();
    },
    open: () => open,
  };
}

/** Resident set size of a process, in MB (from /proc). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}
