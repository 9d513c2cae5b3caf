// A production server told it is served over HTTPS (NEXTAUTH_URL=https://…, as behind a TLS-terminating proxy):
// session cookies are Secure and __Secure- prefixed and still sign people in to /v2, and pages and API answers
// carry HSTS.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/server/auth/passwords";
import { createScratchPostgres } from "../helpers/test-database";
import { startServer, type RunningServer } from "../helpers/server";

const SECRET = "https-test-secret-0123456789-abcdefghijklmnop";
const PORT = 3294;
const PUBLIC_URL = `https://127.0.0.1:${PORT}`;

describe("served over HTTPS", () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let server: RunningServer;

  beforeAll(async () => {
    scratch = await createScratchPostgres();
    server = await startServer({
      port: PORT,
      env: {
        DATABASE_URL: scratch.url,
        AUTH_SECRET: SECRET,
        SEED_DEMO: "false",
        NEXTAUTH_URL: PUBLIC_URL,
      },
    });
    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    await db.query(
      `insert into users (email, name, role, password_hash) values ('sec@example.com', 'Sec', 'admin', $1)`,
      [await hashPassword("a-long-enough-password")],
    );
    await db.end();
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await scratch?.drop();
  });

  it("sets Secure, __Secure- session cookies that sign in to /v2, and sends HSTS", async () => {
    const jar = new Map<string, string>();
    const keep = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(";");
        const eq = pair!.indexOf("=");
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
    };
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

    const csrf = await fetch(`${server.url}/api/auth/csrf`);
    keep(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const signIn = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
      body: new URLSearchParams({
        csrfToken,
        email: "sec@example.com",
        password: "a-long-enough-password",
        json: "true",
      }),
    });
    const session = signIn.headers
      .getSetCookie()
      .find((c) => c.startsWith("__Secure-next-auth.session-token="));
    expect(session, signIn.headers.getSetCookie().join("\n")).toBeDefined();
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(
      signIn.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token=")),
    ).toBe(false);
    keep(signIn);

    const me = await fetch(`${server.url}/v2/me`, { headers: { cookie: cookie() } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ subject: "user:sec@example.com", via: "session" });

    for (const path of ["/login", "/v2/health/live", "/v2/me"]) {
      const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(res.headers.get("strict-transport-security"), path).toMatch(
        /max-age=\d{7,}; includeSubDomains/,
      );
    }
  });
});
