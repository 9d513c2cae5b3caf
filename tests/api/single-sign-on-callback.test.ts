// next-auth's signIn callback for single sign-on: a refusal becomes /login?error=<code> (next-auth redirects with a
// thrown error's message), "no access" stays next-auth's AccessDenied, and anything unexpected (the database
// failing) becomes SsoFailed, never a 500 nor a database message in the address bar.
import type { NextAuthOptions } from "next-auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "@/db/types";
import { setDatabase } from "@/lib/server/database";
import { createUser } from "@/lib/server/users/users";
import { truncateWithAuditLog } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

const ISSUER = "https://idp.example.test";
const saved = vi.hoisted(() => {
  const before = { ...process.env };
  Object.assign(process.env, {
    OIDC_ISSUER: "https://idp.example.test",
    OIDC_CLIENT_ID: "console",
    OIDC_CLIENT_SECRET: "secret",
    NEXTAUTH_URL: "http://localhost:3000",
    AUTH_SECRET: process.env.AUTH_SECRET ?? "test-secret-test-secret-test-secret-0123456789",
  });
  return before;
});

type SignIn = NonNullable<NonNullable<NextAuthOptions["callbacks"]>["signIn"]>;

describe.each(DRIVERS)("the single sign-on signIn callback on %s", (driver) => {
  let tdb: TestDatabase;
  let signIn: SignIn;

  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    const { getAuthOptions } = await import("@/lib/server/auth/next-auth-options");
    signIn = getAuthOptions().callbacks!.signIn!;
  });
  afterAll(async () => {
    await tdb.drop();
    process.env = { ...saved };
  });
  beforeEach(async () => {
    setDatabase(tdb.database);
    await truncateWithAuditLog(tdb, "users, audit_log");
  });

  const callback = (profile: Record<string, unknown>, user: Record<string, unknown> = {}) =>
    signIn({
      user: user as never,
      account: { provider: "oidc", type: "oauth", providerAccountId: "x" },
      profile: { iss: ISSUER, email_verified: true, groups: ["mac:editor"], ...profile } as never,
    });

  it("signs a bound person in with their id and session version", async () => {
    const user: Record<string, unknown> = {};
    expect(await callback({ sub: "s-1", email: "sam@example.test" }, user)).toBe(true);
    expect(user).toMatchObject({ email: "sam@example.test", role: "editor", sv: 1 });
  });

  it("turns each refusal into its code for the sign-in page", async () => {
    await createUser(tdb.database, {
      body: { email: "admin@localhost", role: "admin", password: "a password that is long" },
    });
    await expect(callback({ sub: "evil", email: "admin@localhost" })).rejects.toThrow(
      /^SsoPasswordAccount$/,
    );
    await expect(
      callback({ sub: "s-2", email: "una@example.test", email_verified: undefined }),
    ).rejects.toThrow(/^SsoEmailNotVerified$/);
    // No role in the claim: next-auth's own AccessDenied.
    expect(await callback({ sub: "s-3", email: "no@example.test", groups: ["staff"] })).toBe(false);
  });

  it("says SsoFailed, and logs the cause, when the database fails", async () => {
    const failing: Database = {
      ...tdb.database,
      db: new Proxy(tdb.database.db, {
        get: (target, key) =>
          key === "transaction"
            ? () => Promise.reject(new Error("connection terminated: db.internal:5432"))
            : Reflect.get(target, key),
      }),
    };
    setDatabase(failing);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expect(callback({ sub: "s-4", email: "x@example.test" })).rejects.toThrow(
        /^SsoFailed$/,
      );
      expect(String(logged.mock.calls[0]?.[1])).toMatch(/connection terminated/);
    } finally {
      logged.mockRestore();
    }
  });
});
