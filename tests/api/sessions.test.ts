// Sessions that can be cut short (issue 7 gap 10), signed in for real through next-auth: sign out everywhere,
// a password change, a role change and disabling end every session of the person at once; signing out ends that
// one session even if its cookie was copied; one password rule (12–72 UTF-8 bytes) for API and CLI.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decode, encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/open";
import { createUser, verifyCredentials } from "@/lib/server/users/users";
import { call, token } from "../helpers/api";
import { Browser, ORIGIN } from "../helpers/browser";
import { expectError, truncateWithAuditLog } from "../helpers/demo";
import { ROOT } from "../helpers/server";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

const PASSWORD = "first password ok";
const RULE = /Passwords must be 12 to 72 bytes long/;

describe.each(DRIVERS)("sessions on %s", (driver) => {
  let tdb: TestDatabase;
  let userId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await truncateWithAuditLog(tdb, "users, sign_in_attempts, ended_sessions, audit_log");
    userId = (
      await createUser(tdb.database, {
        body: {
          email: "eve@example.test",
          role: "editor",
          password: PASSWORD,
        },
      })
    ).id;
    await createUser(tdb.database, {
      body: {
        email: "root@example.test",
        role: "admin",
        password: PASSWORD,
      },
    });
  });

  it("gives the session JWT the session's 12 hours, and ends a session 12 hours after sign-in however it was renewed", async () => {
    const laptop = new Browser("203.0.113.9");
    expect((await laptop.signIn("eve@example.test", PASSWORD)).ok).toBe(true);
    const raw = laptop.jar.get("next-auth.session-token")!;
    const claims = (await decode({ token: raw, secret: process.env.AUTH_SECRET! }))!;
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(12 * 3600);
    expect(Number(claims.sat)).toBeGreaterThan(Date.now() / 1000 - 60);

    // The same session renewed a minute ago, but signed in 12 hours and a minute ago: over, on /v2 and in next-auth.
    const old = await encode({
      token: { ...claims, sat: Math.floor(Date.now() / 1000) - 12 * 3600 - 60 },
      secret: process.env.AUTH_SECRET!,
      maxAge: 12 * 3600,
    });
    laptop.jar.set("next-auth.session-token", old);
    expect((await laptop.v2("GET", "/v2/me")).status).toBe(401);
    expect(await laptop.session()).toBeNull();

    // A session from before the sign-in time was recorded is over too.
    const { sat: _sat, ...unrecorded } = claims;
    void _sat;
    laptop.jar.set(
      "next-auth.session-token",
      await encode({ token: unrecorded, secret: process.env.AUTH_SECRET! }),
    );
    expect((await laptop.v2("GET", "/v2/me")).status).toBe(401);
  });

  async function twoSessions(): Promise<[Browser, Browser]> {
    const laptop = new Browser("203.0.113.1");
    const phone = new Browser("203.0.113.2");
    expect((await laptop.signIn("eve@example.test", PASSWORD)).ok).toBe(true);
    expect((await phone.signIn("eve@example.test", PASSWORD)).ok).toBe(true);
    for (const b of [laptop, phone]) {
      expect((await b.v2("GET", "/v2/me")).status).toBe(200);
      expect(await b.session()).toMatchObject({
        user: { email: "eve@example.test", role: "editor" },
      });
    }
    return [laptop, phone];
  }

  const endedEverywhere = async (...browsers: Browser[]) => {
    for (const b of browsers) {
      expectError(await b.v2("GET", "/v2/me"), 401, /Authentication required/);
      expect(await b.session()).toBeNull();
    }
  };

  it("sign out everywhere ends every session of the person at once, and is audited", async () => {
    const [laptop, phone] = await twoSessions();
    const stolen = laptop.sessionCookie();
    const res = await laptop.v2("DELETE", "/v2/me/sessions");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ended: true });
    await endedEverywhere(laptop, phone);
    expectError(await call("GET", "/v2/me", { headers: { cookie: stolen } }), 401);
    const [row] = await tdb.database.query<{ actor: string }>(
      `select actor from audit_log where action = 'session.end_all'`,
    );
    expect(row).toEqual({ actor: "user:eve@example.test" });
    // Signing in again works.
    expect((await phone.signIn("eve@example.test", PASSWORD)).ok).toBe(true);
    expect((await phone.v2("GET", "/v2/me")).status).toBe(200);
  });

  it("signing out ends that session even for a copied cookie, and leaves the other one", async () => {
    const [laptop, phone] = await twoSessions();
    const stolen = laptop.sessionCookie();
    await laptop.signOut();
    expectError(await call("GET", "/v2/me", { headers: { cookie: stolen } }), 401);
    expect((await phone.v2("GET", "/v2/me")).status).toBe(200);
  });

  it("changing one's password checks the current one, ends every session, and is audited without secrets", async () => {
    const [laptop, phone] = await twoSessions();
    const wrong = await laptop.v2("POST", "/v2/me/password", {
      body: { current_password: "not my password", new_password: "second password ok" },
    });
    expectError(wrong, 422, /current password is wrong/);
    expectError(
      await laptop.v2("POST", "/v2/me/password", {
        body: { current_password: PASSWORD, new_password: "short" },
      }),
      400,
      RULE,
    );
    const ok = await laptop.v2("POST", "/v2/me/password", {
      body: { current_password: PASSWORD, new_password: "second password ok" },
    });
    expect(ok.status).toBe(200);
    await endedEverywhere(laptop, phone);
    expect((await laptop.signIn("eve@example.test", PASSWORD)).ok).toBe(false);
    expect((await laptop.signIn("eve@example.test", "second password ok")).ok).toBe(true);
    const audit = JSON.stringify(await tdb.database.query(`select * from audit_log`));
    expect(audit).toContain("user.password_change");
    expect(audit).not.toContain("second password ok");
    expect(audit).not.toContain("$2b$");
  });

  it("wrong current passwords count towards the account's lockout", async () => {
    const [laptop] = await twoSessions();
    for (let i = 0; i < 5; i++)
      await laptop.v2("POST", "/v2/me/password", {
        body: { current_password: `guess number ${i}`, new_password: "second password ok" },
      });
    const locked = await laptop.v2("POST", "/v2/me/password", {
      body: { current_password: PASSWORD, new_password: "second password ok" },
    });
    expectError(locked, 429, /Too many failed attempts/);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("an admin's role change, password reset or disabling ends the person's sessions at once", async () => {
    const admin = await token();
    for (const patch of [
      { role: "viewer" },
      { password: "reset by admin ok" },
      { disabled: true },
    ]) {
      // Back to an enabled editor with PASSWORD (root's hash is of the same password).
      await tdb.database.query(
        `update users set role = 'editor', disabled = false,
           password_hash = (select password_hash from users where email = 'root@example.test') where id = $1`,
        [userId],
      );
      const [laptop, phone] = await twoSessions();
      expect(
        (await call("PATCH", `/v2/users/${userId}`, { token: admin, body: patch })).status,
      ).toBe(200);
      await endedEverywhere(laptop, phone);
    }
    // A disabled person can't sign in again.
    expect((await new Browser().signIn("eve@example.test", PASSWORD)).ok).toBe(false);
  });

  it("a name-only change keeps sessions", async () => {
    const [laptop] = await twoSessions();
    await call("PATCH", `/v2/users/${userId}`, { token: await token(), body: { name: "Eve" } });
    expect((await laptop.v2("GET", "/v2/me")).status).toBe(200);
  });

  it("machine tokens have no password or sessions to change", async () => {
    expectError(
      await call("DELETE", "/v2/me/sessions", { token: await token() }),
      403,
      /machine token/,
    );
    expectError(
      await call("POST", "/v2/me/password", {
        token: await token(),
        body: { current_password: "x", new_password: "second password ok" },
      }),
      403,
    );
  });

  it("one password rule in bytes: 12 to 72, multi-byte letters counted as bytes", async () => {
    const admin = await token();
    const patch = (password: string) =>
      call("PATCH", `/v2/users/${userId}`, { token: admin, body: { password } });
    expectError(await patch("elevenchars"), 400, RULE);
    expectError(await patch("x".repeat(73)), 400, RULE);
    // 37 "é" are 37 characters but 74 bytes: bcrypt would silently ignore the last 2.
    expectError(await patch("é".repeat(37)), 400, /this one is 74 bytes/);
    expect((await patch("x".repeat(72))).status).toBe(200);
    expect((await patch("é".repeat(36))).status).toBe(200);
    expect(
      await verifyCredentials(tdb.database, {
        email: "eve@example.test",
        password: "é".repeat(36),
      }),
    ).not.toBeNull();
    expectError(
      await call("POST", "/v2/users", {
        token: admin,
        body: { email: "new@example.test", role: "viewer", password: "elevenchars" },
      }),
      400,
      RULE,
    );
  });

  it("keeps the origin check for cookie writes on the account routes", async () => {
    const [laptop] = await twoSessions();
    const res = await call("DELETE", "/v2/me/sessions", {
      headers: { cookie: laptop.cookieHeader(), origin: "https://evil.example" },
    });
    expectError(res, 403, /origin/i);
    expect((await laptop.v2("GET", "/v2/me", { headers: { origin: ORIGIN } })).status).toBe(200);
  });
});

describe("the user CLI", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mac-cli-"));
  const tsx = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const cli = (args: string[], input?: string) =>
    spawnSync(
      process.execPath,
      [tsx, "--import", "./scripts/server-only-hook.mjs", "scripts/user.ts", ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", SEED_DEMO: "false" },
        input: input ?? "",
        encoding: "utf8",
      },
    );
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("reads the password from stdin, refuses it on the command line, and applies the same rule", async () => {
    const onCommandLine = cli([
      "add",
      "--email",
      "a@example.test",
      "--role",
      "viewer",
      "--password",
      "typed in the shell",
    ]);
    expect(onCommandLine.status).toBe(2);
    expect(onCommandLine.stderr).toMatch(/--password-stdin/);

    const short = cli(
      ["add", "--email", "a@example.test", "--role", "viewer", "--password-stdin"],
      "short\n",
    );
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(RULE);

    const ok = cli(
      ["add", "--email", "a@example.test", "--role", "viewer", "--password-stdin"],
      "piped password ok\n",
    );
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).not.toContain("piped password ok");

    const database = await openDatabase({ dataDir, seedDemo: false });
    try {
      expect(
        await verifyCredentials(database, {
          email: "a@example.test",
          password: "piped password ok",
        }),
      ).not.toBeNull();
    } finally {
      await database.close();
    }
  }, 180_000);
});
