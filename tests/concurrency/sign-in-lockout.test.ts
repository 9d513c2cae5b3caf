// Sign-in lockout across two production app processes on one PostgreSQL: the limit lives in the database, so
// 10 concurrent wrong passwords spread over both instances get exactly 5 password checks, and the account then
// answers 429 with Retry-After on both, whatever the password.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/server/auth/passwords";
import { startServer, type RunningServer } from "../helpers/server";
import { createScratchPostgres } from "../helpers/test-database";

const SECRET = "lockout-test-secret-0123456789-abcdefghijklmn";
const EMAIL = "target@example.test";
const PASSWORD = "the right password";
const BASE_PORT = 3600 + Math.floor(Math.random() * 200) * 2;

/** One browser's start: next-auth's CSRF cookie and token from one server. */
async function csrfSession(server: RunningServer): Promise<{ cookie: string; csrfToken: string }> {
  const csrf = await fetch(`${server.url}/api/auth/csrf`);
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

/** One browser: keeps next-auth's cookies between its requests to one server. */
async function signIn(server: RunningServer, password: string): Promise<Response> {
  const { cookie, csrfToken } = await csrfSession(server);
  return fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      cookie,
      "content-type": "application/x-www-form-urlencoded",
      "x-auth-return-redirect": "1",
    },
    body: new URLSearchParams({ csrfToken, email: EMAIL, password, json: "true" }),
  });
}

const signedIn = (res: Response) =>
  res.headers.getSetCookie().some((c) => /^next-auth\.session-token=[^;]/.test(c));

describe("sign-in lockout across two app processes on one PostgreSQL", () => {
  let scratch: { url: string; drop: () => Promise<void> };
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    scratch = await createScratchPostgres();
    const env = { DATABASE_URL: scratch.url, AUTH_SECRET: SECRET, SEED_DEMO: "false" };
    servers.push(
      ...(await Promise.all([
        startServer({
          port: BASE_PORT,
          env: { ...env, NEXTAUTH_URL: `http://127.0.0.1:${BASE_PORT}` },
        }),
        startServer({
          port: BASE_PORT + 1,
          env: { ...env, NEXTAUTH_URL: `http://127.0.0.1:${BASE_PORT + 1}` },
        }),
      ])),
    );
    // The person, straight in the table (how they were added is not what this test is about).
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    await db.query(`insert into users (email, role, password_hash) values ($1, 'viewer', $2)`, [
      EMAIL,
      await hashPassword(PASSWORD),
    ]);
    await db.end();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await scratch?.drop();
  });

  it("checks at most 5 passwords in 15 minutes, then answers 429 on every instance", async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => signIn(servers[i % 2]!, `wrong password ${i}`)),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(responses.some(signedIn)).toBe(false);

    for (const server of servers) {
      const res = await signIn(server, PASSWORD);
      expect(res.status).toBe(429);
      expect(signedIn(res)).toBe(false);
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
      expect(((await res.json()) as { message: string }).message).toMatch(
        /Too many failed attempts; try again in \d+ minutes?/,
      );
    }

    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const audit = await client.query<{ action: string; n: number }>(
        `select action, count(*)::int as n from audit_log where entity_id = $1 and action like 'sign_in.%'
         group by action order by action`,
        [EMAIL],
      );
      expect(audit.rows).toEqual([
        { action: "sign_in.failure", n: 5 },
        { action: "sign_in.locked", n: 7 },
      ]);
    } finally {
      await client.end();
    }
  });

  it("keeps the locked account locked whatever the body shape or path (JSON, duplicate fields, extra segments)", async () => {
    const server = servers[0]!;
    const { cookie, csrfToken } = await csrfSession(server);
    const post = (path: string, contentType: string, body: string) =>
      fetch(`${server.url}/api/auth/${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": contentType, "x-auth-return-redirect": "1" },
        body,
      });
    const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();
    const attempts: [string, Response][] = [
      [
        "JSON body",
        await post(
          "callback/credentials",
          "application/json",
          JSON.stringify({ csrfToken, email: EMAIL, password: PASSWORD, json: "true" }),
        ),
      ],
      [
        "form whose Content-Type mentions JSON",
        await post(
          "callback/credentials",
          "application/x-www-form-urlencoded; x=application/json",
          JSON.stringify({ csrfToken, email: EMAIL, password: PASSWORD, json: "true" }),
        ),
      ],
      [
        "two email fields, a decoy first",
        await post(
          "callback/credentials",
          "application/x-www-form-urlencoded",
          form([
            ["csrfToken", csrfToken],
            ["email", "decoy@example.test"],
            ["email", EMAIL],
            ["password", PASSWORD],
            ["json", "true"],
          ]),
        ),
      ],
      [
        "extra path segment",
        await post(
          "callback/credentials/x",
          "application/x-www-form-urlencoded",
          form([
            ["csrfToken", csrfToken],
            ["email", EMAIL],
            ["password", PASSWORD],
            ["json", "true"],
          ]),
        ),
      ],
    ];
    for (const [name, res] of attempts) {
      expect(signedIn(res), name).toBe(false);
      expect([400, 404, 415, 429], name).toContain(res.status);
      const body = (await res.json()) as { message: string };
      expect(body.message, name).toMatch(/\w/);
    }
    expect(attempts.map(([, r]) => r.status)).toEqual([415, 415, 400, 404]);

    // No proxy in front (TRUST_PROXY unset): a client's own X-Forwarded-For does not choose its address.
    const spoofed = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie,
        "content-type": "application/x-www-form-urlencoded",
        "x-forwarded-for": "198.51.100.7",
        "x-real-ip": "198.51.100.8",
      },
      body: form([
        ["csrfToken", csrfToken],
        ["email", EMAIL],
        ["password", PASSWORD],
        ["json", "true"],
      ]),
    });
    expect(spoofed.status).toBe(429);

    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const success = await client.query(
        `select 1 from audit_log where action = 'sign_in.success'`,
      );
      expect(success.rowCount).toBe(0);
      const latest = await client.query<{ address: string }>(
        `select after->>'address' as address from audit_log where action = 'sign_in.locked'
         order by id desc limit 1`,
      );
      expect(latest.rows[0]?.address).toMatch(/127\.0\.0\.1/);
      const believed = await client.query(
        `select 1 from audit_log where after->>'address' like '198.51.100.%'`,
      );
      expect(believed.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});
