// The change feed across two production app processes on one PostgreSQL: 200 concurrent writes spread over both
// appear exactly once, in commit order (a reader following the feed while they happen never misses one), and a
// stream on one instance hears of changes made on the other, then resumes with Last-Event-ID without gaps.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "@/lib/server/auth/tokens";
import { createApiClient, followChanges, type Change } from "@/lib/client";
import { createScratchPostgres } from "../helpers/test-database";
import { startServer, type RunningServer } from "../helpers/server";

const SECRET = "changes-test-secret-0123456789-abcdefghijkl";
const C = "client-1";
const D = "south_australia";
const SERVICES = ["service-1", "svc-002", "svc-004", "svc-005", "svc-007", "svc-008"];

describe("the change feed across two app processes on one PostgreSQL", () => {
  let scratch: { url: string; drop: () => Promise<void> };
  const servers: RunningServer[] = [];
  let token: string;

  beforeAll(async () => {
    scratch = await createScratchPostgres();
    const env = { DATABASE_URL: scratch.url, AUTH_SECRET: SECRET, SEED_DEMO: "true" };
    servers.push(
      ...(await Promise.all([startServer({ port: 3295, env }), startServer({ port: 3296, env })])),
    );
    process.env.AUTH_SECRET = SECRET;
    // The servers accept only tokens recorded in api_tokens: record this one as `npm run token` would.
    const jti = randomUUID();
    const scopes = ["assignments:read", "assignments:write", "services:write"] as const;
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    await db.query(
      `insert into api_tokens (id, name, subject, scopes, clients, created_by, expires_at)
       values ($1, 'feed-load', 'feed-load', $2, $3, 'test', now() + interval '1 hour')`,
      [jti, JSON.stringify(scopes), JSON.stringify([C])],
    );
    await db.end();
    token = await mintToken(
      { sub: "feed-load", scopes: [...scopes], clients: [C], jti, expiresInSeconds: 3600 },
      new TextEncoder().encode(SECRET),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await scratch?.drop();
  });

  const clientOf = (i: number) => createApiClient({ baseUrl: servers[i % 2]!.url, token });

  /** Write i: a service override PUT, a service PATCH or a domain default PUT, on server i % 2. */
  async function write(i: number): Promise<{ status: number; marker: string; kind: string }> {
    const client = clientOf(i);
    const svc = SERVICES[i % SERVICES.length]!;
    const marker = `w${i}`;
    if (i % 4 === 0) {
      const res = await client.PATCH(
        "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}",
        {
          params: { path: { client_id: C, domain_id: D, service_id: svc } },
          body: { name: marker },
        },
      );
      return { status: res.response.status, marker, kind: "service" };
    }
    if (i % 4 === 1) {
      const res = await client.PUT(
        "/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}",
        {
          params: { path: { client_id: C, domain_id: D, assignment_key: "hot" } },
          body: { model_id: "example-model", model_version: "1.0.0", metadata: { marker } },
        },
      );
      return { status: res.response.status, marker, kind: "assignment" };
    }
    const res = await client.PUT(
      "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments/{assignment_key}",
      {
        params: {
          path: { client_id: C, domain_id: D, service_id: svc, assignment_key: `k${i % 3}` },
        },
        body: { model_id: "example-model", model_version: "1.0.0", metadata: { marker } },
      },
    );
    return { status: res.response.status, marker, kind: "assignment" };
  }

  it("200 concurrent writes on both instances each appear exactly once, in commit order", async () => {
    // A reader polls the feed on instance B the whole time: following `next_cursor` it must see every change,
    // with consecutive cursors; a change that committed behind its cursor would be lost to it.
    const reader = clientOf(1);
    const seen: Change[] = [];
    let cursor = "0";
    let writing = true;
    const poll = (async () => {
      for (;;) {
        const stop = !writing;
        const { data, response } = await reader.GET(
          "/v2/clients/{client_id}/domains/{domain_id}/changes",
          {
            params: { path: { client_id: C, domain_id: D }, query: { after: cursor, limit: 1000 } },
          },
        );
        expect(response.status).toBe(200);
        seen.push(...data!.items);
        cursor = data!.next_cursor;
        if (stop && data!.items.length === 0) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => write(i)));
    writing = false;
    await poll;
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(200));

    expect(seen.map((c) => Number(c.cursor))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    try {
      // Each write is exactly one change: its audit row's marker, once.
      const { rows } = await db.query<{ seq: string; marker: string }>(
        `select c.seq, coalesce(l.after->'metadata'->>'marker', l.after->>'name') as marker
         from changes c join audit_log l on l.id = c.audit_id
         where c.client_id = $1 and c.domain_id = $2 order by c.seq`,
        [C, D],
      );
      expect(rows.map((r) => Number(r.seq))).toEqual(seen.map((c) => Number(c.cursor)));
      expect(rows.map((r) => r.marker).sort()).toEqual(results.map((r) => r.marker).sort());
      // Commit order: a write's cursor is above that of every write that committed before it started. Per
      // assignment key, revisions increase with the cursor (the later commit has the higher revision).
      const revisions = await db.query<{
        seq: string;
        key: string;
        scope: string;
        revision: number;
      }>(
        `select c.seq, a.assignment_key as key, a.scope, a.revision from changes c
         join assignments a on a.assignment_id = c.assignment_id
         where c.client_id = $1 and c.domain_id = $2 order by c.seq`,
        [C, D],
      );
      const last = new Map<string, number>();
      for (const r of revisions.rows) {
        const key = `${r.scope}/${r.key}`;
        expect(r.revision).toBeGreaterThan(last.get(key) ?? 0);
        last.set(key, r.revision);
      }
      expect(revisions.rows).toHaveLength(results.filter((r) => r.kind === "assignment").length);
    } finally {
      await db.end();
    }
  }, 120_000);

  it("a stream on B hears of a change made on A, and resumes with Last-Event-ID exactly after what it saw", async () => {
    const head = await clientOf(0).GET("/v2/clients/{client_id}/domains/{domain_id}/changes", {
      params: { path: { client_id: C, domain_id: D }, query: { after: "0", limit: 1000 } },
    });
    let after = head.data!.next_cursor;
    let start = Number(after);
    const takeAfter = async (n: number, changes: () => Promise<void>) => {
      const controller = new AbortController();
      const stream = followChanges({
        baseUrl: servers[1]!.url,
        token,
        clientId: C,
        domainId: D,
        after,
        signal: controller.signal,
      });
      const got: Change[] = [];
      const first = stream.next();
      // The stream is open (the request is answered) before the changes are made.
      await new Promise((r) => setTimeout(r, 300));
      await changes();
      const timer = setTimeout(() => controller.abort(), 10_000);
      try {
        for (let next = await first; !next.done; next = await stream.next()) {
          got.push(next.value);
          if (got.length === n) break;
        }
      } finally {
        clearTimeout(timer);
        controller.abort();
        await stream.return(undefined);
      }
      return got;
    };
    const patchOnA = (name: string) =>
      clientOf(0).PATCH("/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}", {
        params: { path: { client_id: C, domain_id: D, service_id: "svc-001" } },
        body: { name },
      });

    const one = await takeAfter(1, async () => {
      expect((await patchOnA("first")).response.status).toBe(200);
    });
    expect(one.map((c) => [Number(c.cursor), c.kind, c.action, c.service_id])).toEqual([
      [start + 1, "service", "patch", "svc-001"],
    ]);
    after = one[0]!.cursor;
    // Disconnected: three more changes on A.
    for (const name of ["second", "third", "fourth"])
      expect((await patchOnA(name)).response.status).toBe(200);
    const resumed = await takeAfter(4, async () => {
      expect((await patchOnA("fifth")).response.status).toBe(200);
    });
    start += 1;
    expect(resumed.map((c) => Number(c.cursor))).toEqual([
      start + 1,
      start + 2,
      start + 3,
      start + 4,
    ]);
  }, 60_000);
});
