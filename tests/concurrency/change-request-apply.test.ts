// Exactly-once apply of a change request: two production app processes on one PostgreSQL, 20 concurrent applies of
// one approved request spread across them: one 200, nineteen 409, and one set of revisions.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintToken } from "@/lib/server/auth/tokens";
import { createScratchPostgres } from "../helpers/test-database";
import { startServer, type RunningServer } from "../helpers/server";

const SECRET = "change-request-test-secret-0123456789-abcdefgh";
const CLIENT = "/v2/clients/client-1";

describe("change request apply over two app processes on one PostgreSQL", () => {
  let scratch: { url: string; drop: () => Promise<void> };
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    scratch = await createScratchPostgres();
    const env = { DATABASE_URL: scratch.url, AUTH_SECRET: SECRET, SEED_DEMO: "true" };
    servers.push(
      ...(await Promise.all([startServer({ port: 3293, env }), startServer({ port: 3294, env })])),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await scratch?.drop();
  });

  async function tokenFor(sub: string, scopes: string[]): Promise<string> {
    const jti = randomUUID();
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    await db.query(
      `insert into api_tokens (id, name, subject, scopes, clients, created_by, expires_at)
       values ($1, $2, $2, $3, '["*"]', 'test', now() + interval '1 hour')`,
      [jti, sub, JSON.stringify(scopes)],
    );
    await db.end();
    return mintToken(
      { sub, scopes: scopes as never, clients: "*", jti, expiresInSeconds: 3600 },
      new TextEncoder().encode(SECRET),
    );
  }

  it("answers one 200 and 19 × 409, and writes the request's revisions once", async () => {
    process.env.AUTH_SECRET = SECRET;
    const admin = await tokenFor("admin", ["admin"]);
    const author = await tokenFor("author", ["assignments:write", "services:write"]);
    const reviewer = await tokenFor("reviewer", ["assignments:write"]);
    const send = async (
      server: RunningServer,
      token: string,
      method: string,
      path: string,
      body?: unknown,
    ) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const [one, two] = servers as [RunningServer, RunningServer];
    expect(
      (await send(one, admin, "PATCH", CLIENT, { change_policy: { required_approvals: 1 } }))
        .status,
    ).toBe(200);
    const opened = await send(one, author, "POST", `${CLIENT}/change-requests`, {
      title: "Two keys at once",
      changes: [
        {
          domain_id: "south_australia",
          service_id: "service-1",
          assignment_key: "default",
          body: { model_id: "example-model", model_version: "2.0.0" },
        },
        {
          domain_id: "south_australia",
          service_id: "svc-004",
          assignment_key: "default",
          body: { model_id: "example-model", model_version: "2.0.0" },
        },
      ],
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.id as string;
    const approved = await send(two, reviewer, "POST", `${CLIENT}/change-requests/${id}/reviews`, {
      decision: "approve",
      impact_hash: opened.body.impact_hash,
    });
    expect(approved.body.status).toBe("approved");

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(servers[i % 2]!, author, "POST", `${CLIENT}/change-requests/${id}/apply`),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(409)]);

    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ scope: string; n: number }>(
        `select scope, count(*)::int as n from assignments where change_request_id = $1 group by scope order by scope`,
        [id],
      );
      expect(rows).toEqual([
        { scope: "service-1", n: 1 },
        { scope: "svc-004", n: 1 },
      ]);
      const applied = await client.query(
        `select count(*)::int as n from audit_log where action = 'change_request.applied'`,
      );
      expect(applied.rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  });
});
