// People's sessions on /v2: the next-auth cookie is accepted like a bearer token, mapped to the role's scopes,
// re-checked against the users table on each request, and refused for writes from another origin.
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, SEED_PUT } from "../helpers/api";
import { expectError } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";
import { createUser } from "@/lib/server/users/users";

const BODY = { model_id: "example-model", model_version: "2.0.0" };

describe.each(DRIVERS)("session cookies on %s", (driver) => {
  let tdb: TestDatabase;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    for (const role of ["viewer", "editor", "admin"] as const) {
      const user = await createUser(tdb.database, {
        body: {
          email: `${role}@example.test`,
          role,
          password: `${role}-password-1`,
        },
      });
      const jwt = await encode({
        // A session as a sign-in issues it (tests/api/sessions.test.ts signs in for real).
        token: {
          uid: user.id,
          email: user.email,
          sid: randomUUID(),
          sv: 1,
          sat: Math.floor(Date.now() / 1000),
        },
        secret: process.env.AUTH_SECRET!,
      });
      cookies[role] = `next-auth.session-token=${jwt}`;
    }
  });
  afterAll(async () => tdb.drop());

  const as = (role: string, origin?: string) => ({
    headers: { cookie: cookies[role]!, ...(origin ? { origin } : {}) },
  });

  it("reads with the session cookie and names the person in /v2/me", async () => {
    const me = await call("GET", "/v2/me", as("viewer"));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      subject: "user:viewer@example.test",
      via: "session",
      role: "viewer",
    });
    expect(
      (
        await call(
          "GET",
          SEED_PUT.replace("/service-1/assignments/default", "/service-1"),
          as("viewer"),
        )
      ).status,
    ).toBe(200);
  });

  it("lets an editor write from the console's own origin and records who", async () => {
    const res = await call("PUT", SEED_PUT, {
      ...as("editor", "http://localhost:3000"),
      body: BODY,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      created_by: "user:editor@example.test",
      model_version: "2.0.0",
    });
  });

  it("refuses a cookie-authenticated write from another origin, or with no origin at all", async () => {
    const before = await call("GET", SEED_PUT, as("admin"));
    expectError(
      await call("PUT", SEED_PUT, {
        ...as("admin", "https://evil.example"),
        body: { ...BODY, metadata: { x: 1 } },
      }),
      403,
      /origin/i,
    );
    expectError(
      await call("PUT", SEED_PUT, { ...as("admin"), body: { ...BODY, metadata: { x: 2 } } }),
      403,
      /origin/i,
    );
    const after = await call("GET", SEED_PUT, as("admin"));
    expect(after.body).toEqual(before.body);
  });

  it("maps a viewer to read scopes only", async () => {
    expectError(
      await call("PUT", SEED_PUT, { ...as("viewer", "http://localhost:3000"), body: BODY }),
      403,
      /assignments:write/,
    );
  });

  it("stops accepting a session as soon as the account is disabled", async () => {
    await tdb.database.query(
      `update users set disabled = true where email = 'viewer@example.test'`,
    );
    expectError(await call("GET", "/v2/me", as("viewer")), 401, /Authentication required/);
  });

  it("ignores a forged cookie", async () => {
    const res = await call("GET", "/v2/me", {
      headers: { cookie: "next-auth.session-token=not-a-real-token" },
    });
    expectError(res, 401, /Authentication required/);
  });
});
