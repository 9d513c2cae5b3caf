// Scheduled changes (issue 18's measure): two production servers on one PostgreSQL, 50 change requests each
// scheduled a few seconds ahead (250 ms apart), an SSE client on each instance. Per request: how late the apply
// started after `apply_at` (the request's `applied_at`, the apply transaction's start), and when its
// `change_request.applied` event reached the SSE clients (the later of the two instances, so the instance that did
// not apply it is counted). Needs the production build (npm run build).
//
//   npm run bench:scheduled            (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
//   SCHEDULES=50 GAP_MS=250
import { followChanges } from "@/lib/client";
import { createStore, recordToken, startOn } from "../tests/ops/ops-helpers";
import { runBench } from "./main";

const SCHEDULES = Number(process.env.SCHEDULES ?? 50);
const GAP_MS = Number(process.env.GAP_MS ?? 250);
const REQUESTS = "/v2/clients/client-1/change-requests";

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const summary = (xs: number[]) =>
  `p50 ${percentile(xs, 50).toFixed(0)} ms, p99 ${percentile(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;

async function main(): Promise<void> {
  process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
  const store = await createStore("postgres");
  const token = await recordToken(store, ["admin"], "bench-scheduled");
  const servers = [await startOn(store), await startOn(store)];
  const controller = new AbortController();
  try {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${a.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as T;
    };

    const head = (
      await api<{ next_cursor: string }>(
        "GET",
        "/v2/clients/client-1/domains/south_australia/changes?after=latest",
      )
    ).next_cursor;
    // SSE on both instances: when each request's "applied" event arrives (wall clock, as apply_at is).
    const arrived = [new Map<string, number>(), new Map<string, number>()];
    const follow = (url: string, into: Map<string, number>) =>
      (async () => {
        for await (const change of followChanges({
          baseUrl: url,
          token,
          clientId: "client-1",
          domainId: "south_australia",
          after: head,
          signal: controller.signal,
        })) {
          if (change.kind === "change_request" && change.action === "applied")
            into.set(change.change_request_id!, Date.now());
        }
      })().catch(() => {});
    void follow(a.url, arrived[0]!);
    void follow(b.url, arrived[1]!);
    await new Promise((r) => setTimeout(r, 1000));

    // No approval required in the demo: each request is approved at open, and applies at its time.
    const base = Date.now() + 3_000 + SCHEDULES * 60;
    const ids: { id: string; at: number }[] = [];
    for (let i = 0; i < SCHEDULES; i++) {
      const at = base + i * GAP_MS;
      const r = await api<{ id: string; status: string }>("POST", REQUESTS, {
        title: `Bench schedule ${i}`,
        apply_at: new Date(at).toISOString(),
        changes: [
          {
            domain_id: "south_australia",
            assignment_key: `bench-${i}`,
            body: { model_id: "example-model", model_version: "1.0.0" },
          },
        ],
      });
      if (r.status !== "approved") throw new Error(`request ${i} is ${r.status}`);
      ids.push({ id: r.id, at });
    }
    const until = base + SCHEDULES * GAP_MS + 10_000;
    while (Date.now() < until && ids.some(({ id }) => !arrived[0]!.has(id) || !arrived[1]!.has(id)))
      await new Promise((r) => setTimeout(r, 100));

    const applyLate: number[] = [];
    const sseAfterApply: number[] = [];
    const sseAfterTime: number[] = [];
    let failed = 0;
    for (const { id, at } of ids) {
      const r = await api<{ status: string; applied_at: string | null }>(
        "GET",
        `${REQUESTS}/${id}`,
      );
      if (r.status !== "applied" || !r.applied_at) {
        failed++;
        continue;
      }
      const applied = Date.parse(r.applied_at);
      applyLate.push(applied - at);
      const seen = Math.max(arrived[0]!.get(id) ?? Infinity, arrived[1]!.get(id) ?? Infinity);
      if (Number.isFinite(seen)) {
        sseAfterApply.push(seen - applied);
        sseAfterTime.push(seen - at);
      }
    }
    console.log(`scheduled changes: ${SCHEDULES} requests, ${GAP_MS} ms apart, 2 instances`);
    console.log(`  not applied: ${failed}`);
    console.log(`  apply started after apply_at: ${summary(applyLate)}`);
    console.log(
      `  applied event on both instances' SSE, after the apply: ${summary(sseAfterApply)}`,
    );
    console.log(`  applied event on both instances' SSE, after apply_at: ${summary(sseAfterTime)}`);
    console.log(`  events missing on an SSE client: ${SCHEDULES - failed - sseAfterTime.length}`);
  } finally {
    controller.abort();
    for (const s of servers) await s.stop();
    await store.drop();
  }
}

runBench(main);
