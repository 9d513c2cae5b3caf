// Two production app processes on one PostgreSQL, 50 concurrent PUTs on one key spread across them.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "@/lib/server/auth/tokens";
import { createScratchPostgres } from "../helpers/test-database";
import { startServer, type RunningServer } from "../helpers/server";

const SECRET = "concurrency-test-secret-0123456789-abcdefghij";
const KEY_PATH = "/v2/clients/client-1/domains/south_australia/service/service-1/assignments/hot";

describe("two app processes on one PostgreSQL", () => {
  let scratch: { url: string; drop: () => Promise<void> };
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    scratch = await createScratchPostgres();
    const env = { DATABASE_URL: scratch.url, AUTH_SECRET: SECRET, SEED_DEMO: "true" };
    // Both start at once against an empty database: migrations and the demo seed must take turns.
    servers.push(
      ...(await Promise.all([startServer({ port: 3291, env }), startServer({ port: 3292, env })])),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await scratch?.drop();
  });

  it("answers all 50 PUTs and keeps exactly one active revision with unique revision numbers", async () => {
    process.env.AUTH_SECRET = SECRET;
    // The servers accept only tokens recorded in api_tokens: record this one as `npm run token` would.
    const jti = randomUUID();
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    await db.query(
      `insert into api_tokens (id, name, subject, scopes, clients, created_by, expires_at)
       values ($1, 'load', 'load', '["assignments:write"]', '["client-1"]', 'test', now() + interval '1 hour')`,
      [jti],
    );
    await db.end();
    const token = await mintToken(
      {
        sub: "load",
        scopes: ["assignments:write"],
        clients: ["client-1"],
        jti,
        expiresInSeconds: 3600,
      },
      new TextEncoder().encode(SECRET),
    );
    const responses = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const server = servers[i % 2]!;
        const res = await fetch(`${server.url}${KEY_PATH}`, {
          method: "PUT",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            model_id: "example-model",
            model_version: i % 2 ? "2.0.0" : "1.0.0",
            metadata: { request: i },
          }),
        });
        return {
          status: res.status,
          body: (await res.json()) as {
            assignment_id: string;
            revision: number;
            metadata: { request: number };
          },
        };
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));

    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const { rows } = await client.query<{
        revision: number;
        status: string;
        request: number;
        assignment_id: string;
      }>(
        `select revision, status, (metadata->>'request')::int as request, assignment_id from assignments
         where client_id = 'client-1' and domain_id = 'south_australia' and scope = 'service-1' and assignment_key = 'hot'
         order by revision`,
      );
      expect(rows.filter((r) => r.status === "active")).toHaveLength(1);
      // Every request became exactly one revision, numbered 1..50 without gaps or duplicates.
      expect(rows.map((r) => r.revision)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(rows.map((r) => r.request).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i),
      );
      // Each answer is the revision that request created.
      const byId = new Map(rows.map((r) => [r.assignment_id, r]));
      for (const r of responses)
        expect(byId.get(r.body.assignment_id)?.request).toBe(r.body.metadata.request);
      // The newest revision is the active one.
      expect(rows[rows.length - 1]!.status).toBe("active");
      const migrations = await client.query(
        `select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(migrations.rows[0].n).toBeGreaterThan(0);
      const clients = await client.query(`select count(*)::int as n from clients`);
      expect(clients.rows[0].n).toBe(2);
    } finally {
      await client.end();
    }
  });
});
