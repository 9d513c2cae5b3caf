// Sign-in protection (issue 7 gap 4) and the sign-in audit (gap 9), through next-auth's real endpoints: limits
// kept in the database, 429 with Retry-After for a locked account whatever the password, the same bcrypt work
// for unknown emails, and audit rows for every outcome (never the password).
import { truncateWithAuditLog } from "../helpers/demo";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUser, ensureBootstrapAdmin } from "@/lib/server/users/users";
import { Browser } from "../helpers/browser";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

const PASSWORD = "correct horse battery";

describe.each(DRIVERS)("password sign-in on %s", (driver) => {
  let tdb: TestDatabase;

  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await truncateWithAuditLog(tdb, "users, sign_in_attempts, ended_sessions, audit_log");
    await createUser(tdb.database, {
      body: {
        email: "ada@example.test",
        role: "admin",
        password: PASSWORD,
      },
    });
  });

  const audit = (action: string) =>
    tdb.database.query<{ actor: string; entity_id: string; after: Record<string, unknown> | null }>(
      `select actor, entity_id, after from audit_log where action = $1 order by id`,
      [action],
    );

  it("signs in with the right password and records it in the audit log", async () => {
    const browser = new Browser();
    expect((await browser.signIn("Ada@Example.test", PASSWORD)).ok).toBe(true);
    expect((await browser.v2("GET", "/v2/me")).body).toMatchObject({
      subject: "user:ada@example.test",
    });
    const rows = await audit("sign_in.success");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: "user:ada@example.test",
      entity_id: "ada@example.test",
    });
  });

  it("locks the account after 5 failures: 429 with Retry-After even for the right password", async () => {
    const browser = new Browser();
    for (let i = 0; i < 5; i++) {
      const { ok, response } = await browser.signIn("ada@example.test", `wrong-password-${i}`);
      expect(ok).toBe(false);
      expect(response.status).not.toBe(429);
    }
    const locked = await browser.signIn("ada@example.test", PASSWORD);
    expect(locked.ok).toBe(false);
    expect(locked.response.status).toBe(429);
    const retryAfter = Number(locked.response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const body = (await locked.response.json()) as { success: boolean; message: string };
    expect(body.success).toBe(false);
    expect(body.message).toMatch(/Too many failed attempts; try again in 15 minutes/);

    // From another address too: the limit belongs to the account.
    const elsewhere = new Browser("198.51.100.9");
    expect((await elsewhere.signIn("ada@example.test", PASSWORD)).response.status).toBe(429);

    // Tries while locked don't extend the lockout.
    for (let i = 0; i < 3; i++) await browser.signIn("ada@example.test", "still-wrong-password");
    const [{ n }] = await tdb.database.query<{ n: number }>(
      `select count(*)::int as n from sign_in_attempts where bucket = 'account:ada@example.test'`,
    );
    expect(n).toBe(5);
    expect((await audit("sign_in.failure")).length).toBe(5);
    expect((await audit("sign_in.locked")).length).toBe(5);
  });

  it("unlocks once the 5th-newest failure is 15 minutes old", async () => {
    const browser = new Browser();
    for (let i = 0; i < 5; i++) await browser.signIn("ada@example.test", "wrong-password-x");
    expect((await browser.signIn("ada@example.test", PASSWORD)).response.status).toBe(429);
    await tdb.database.query(
      `update sign_in_attempts set at = at - interval '15 minutes 1 second' where bucket = 'account:ada@example.test'`,
    );
    expect((await browser.signIn("ada@example.test", PASSWORD)).ok).toBe(true);
  });

  it("a success forgives earlier failures", async () => {
    const browser = new Browser();
    for (let i = 0; i < 4; i++) await browser.signIn("ada@example.test", "wrong-password-x");
    expect((await browser.signIn("ada@example.test", PASSWORD)).ok).toBe(true);
    const again = new Browser();
    for (let i = 0; i < 4; i++) await again.signIn("ada@example.test", "wrong-password-x");
    expect((await again.signIn("ada@example.test", PASSWORD)).ok).toBe(true);
  });

  it("treats an unknown email like a known one: same answer, counted and locked the same way", async () => {
    const browser = new Browser();
    const known = await browser.signIn("ada@example.test", "wrong-password-1");
    const unknown = await browser.signIn("nobody@example.test", "wrong-password-1");
    expect(unknown.response.status).toBe(known.response.status);
    expect(await unknown.response.json()).toEqual(await known.response.json());
    for (let i = 0; i < 4; i++) await browser.signIn("nobody@example.test", "wrong-password-1");
    expect((await browser.signIn("nobody@example.test", "anything-at-all")).response.status).toBe(
      429,
    );
  });

  it("limits one address across many accounts", async () => {
    const browser = new Browser("192.0.2.50");
    for (let i = 0; i < 50; i++) {
      const { response } = await browser.signIn(
        `guess-${i % 10}@example.test`,
        `wrong-${i}-password`,
      );
      if (i % 10 === 9) expect(response.status).not.toBe(429);
    }
    const blocked = await browser.signIn("ada@example.test", PASSWORD);
    expect(blocked.response.status).toBe(429);
    expect(((await blocked.response.json()) as { message: string }).message).toMatch(
      /network address/,
    );
    // Another address is unaffected.
    expect((await new Browser("192.0.2.51").signIn("ada@example.test", PASSWORD)).ok).toBe(true);
  });

  it("never writes the password into the audit log", async () => {
    const browser = new Browser();
    await browser.signIn("ada@example.test", "a-secret-wrong-password");
    await browser.signIn("ada@example.test", PASSWORD);
    const text = JSON.stringify(await tdb.database.query(`select * from audit_log`));
    expect(text).not.toContain("a-secret-wrong-password");
    expect(text).not.toContain(PASSWORD);
    expect((await audit("sign_in.failure"))[0]).toMatchObject({
      entity_id: "ada@example.test",
      after: { via: "password", address: "203.0.113.7" },
    });
  });

  it("records the first-start admin in the audit log", async () => {
    await truncateWithAuditLog(tdb, "users, audit_log");
    const admin = await ensureBootstrapAdmin(tdb.database);
    expect(admin).not.toBeNull();
    const rows = await audit("user.bootstrap");
    expect(rows).toEqual([
      expect.objectContaining({ actor: "system", entity_id: "admin@localhost" }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(admin!.password);
  });
});
