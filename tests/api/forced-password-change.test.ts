// Second trust review, lows: a password someone else chose (an admin's, a generated one, the first start's) is good
// for one sign-in. Signed in with it, the person reaches only their own account until they choose their own.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Me, User, UserCreated } from "@/lib/schemas/access";
import { ensureBootstrapAdmin } from "@/lib/server/users/users";
import { call, token } from "../helpers/api";
import { Browser } from "../helpers/browser";
import { expectError, truncateWithAuditLog } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

const MINE = "a password only I know";

describe.each(DRIVERS)("passwords someone else chose on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "people-admin" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => truncateWithAuditLog(tdb, "users, sign_in_attempts, ended_sessions"));

  const signedIn = async (email: string, password: string) => {
    const browser = new Browser();
    expect((await browser.signIn(email, password)).ok).toBe(true);
    return browser;
  };

  it("an admin-made person reaches only their account until they choose their own password", async () => {
    const created = await call<UserCreated>("POST", "/v2/users", {
      token: admin,
      body: { email: "new@example.test", role: "editor" },
    });
    expect(created.body.must_change_password).toBe(true);
    const browser = await signedIn("new@example.test", created.body.password!);

    const me = await browser.v2<Me>("GET", "/v2/me");
    expect(me.status).toBe(200);
    expect(me.body.must_change_password).toBe(true);
    for (const [method, url] of [
      ["GET", "/v2/clients"],
      ["GET", "/v2/me/password/../../clients"],
      ["GET", "/v2/clients/client-1/domains"],
      ["POST", "/v2/tokens"],
    ] as const) {
      expectError(
        await browser.v2(method, url, { body: method === "POST" ? { name: "x" } : undefined }),
        403,
        /Choose your own password first/,
      );
    }

    // The one way on: their own password (every session ends; signed in again with it).
    const changed = await browser.v2("POST", "/v2/me/password", {
      body: { current_password: created.body.password, new_password: MINE },
    });
    expect(changed.status).toBe(200);
    const again = await signedIn("new@example.test", MINE);
    expect((await again.v2<Me>("GET", "/v2/me")).body.must_change_password).toBe(false);
    expect((await again.v2("GET", "/v2/clients")).status).toBe(200);
  });

  it("an admin's new password marks the person unless the admin says otherwise; machine tokens are unaffected", async () => {
    const created = await call<User>("POST", "/v2/users", {
      token: admin,
      body: {
        email: "known@example.test",
        role: "viewer",
        password: MINE,
        must_change_password: false,
      },
    });
    expect(created.body.must_change_password).toBe(false);
    expect(
      (await (await signedIn("known@example.test", MINE)).v2("GET", "/v2/clients")).status,
    ).toBe(200);

    const reset = await call<User>("PATCH", `/v2/users/${created.body.id}`, {
      token: admin,
      body: { password: "the admin's choice 1" },
    });
    expect(reset.body.must_change_password).toBe(true);
    const browser = await signedIn("known@example.test", "the admin's choice 1");
    expectError(await browser.v2("GET", "/v2/clients"), 403, /Choose your own password first/);

    expectError(
      await call("PATCH", `/v2/users/${created.body.id}`, {
        token: admin,
        body: { must_change_password: false },
      }),
      400,
      /must_change_password goes with password/,
    );
    // A bearer token is never held back: it is not a person's password sign-in.
    expect((await call("GET", "/v2/clients", { token: admin })).status).toBe(200);
  });

  it("the first start's printed password works for one sign-in only", async () => {
    const first = (await ensureBootstrapAdmin(tdb.database))!;
    const browser = await signedIn(first.email, first.password);
    expect((await browser.v2<Me>("GET", "/v2/me")).body.must_change_password).toBe(true);
    expectError(await browser.v2("GET", "/v2/users"), 403, /Choose your own password first/);
  });
});
