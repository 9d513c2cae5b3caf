// Single sign-on binds people to the identity provider's identity (second trust review, gap 4): the ID token's
// `iss` and `sub` are stored and find the person, a first link needs `email_verified: true`, a password account is
// never taken over by email unless an admin allows it, and the group claim never demotes the last enabled admin.
// Every change a sign-in makes (binding, email, name, role, clients) is in the audit log.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, users } from "@/db/schema";
import type { User } from "@/lib/schemas/access";
import { signInWithOidc, type OidcConfig } from "@/lib/server/auth/oidc";
import { createUser } from "@/lib/server/users/users";
import { call, token } from "../helpers/api";
import { expectError, truncateWithAuditLog } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

const ISSUER = "https://idp.example.test";
const CONFIG: OidcConfig = {
  issuer: ISSUER,
  clientId: "console",
  clientSecret: "secret",
  name: "Example IdP",
  scope: "openid email profile groups",
  roleClaim: "groups",
  groupMap: null,
};
const PASSWORD = "a password that is long";

type Claims = {
  sub: string;
  email?: string;
  email_verified?: unknown;
  name?: string;
  groups?: string[];
  iss?: string;
};
const profile = (c: Claims): Record<string, unknown> => ({
  iss: ISSUER,
  email_verified: true,
  groups: ["mac:editor"],
  ...c,
});

describe.each(DRIVERS)("single sign-on identities on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;

  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await truncateWithAuditLog(tdb, "users, audit_log");
  });

  const signIn = (c: Claims) =>
    signInWithOidc(tdb.database, { profile: profile(c), config: CONFIG });
  const row = async (email: string) =>
    (await tdb.database.db.select().from(users).where(eq(users.email, email)))[0];
  const actions = async (entityId: string) =>
    (await tdb.database.db.select().from(auditLog).where(eq(auditLog.entityId, entityId)))
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((e) => e.action);
  const auditOf = async (entityId: string, action: string) =>
    (await tdb.database.db.select().from(auditLog).where(eq(auditLog.entityId, entityId))).filter(
      (e) => e.action === action,
    );
  const addPasswordUser = (email: string, role: "viewer" | "editor" | "admin") =>
    createUser(tdb.database, { body: { email, role, password: PASSWORD } });

  it("creates a person bound to the provider's issuer and subject on a verified first sign-in", async () => {
    const result = await signIn({ sub: "s-1", email: "Sam@Example.test", name: "Sam" });
    expect(result).toMatchObject({ ok: true, user: { email: "sam@example.test", role: "editor" } });
    expect(await row("sam@example.test")).toMatchObject({
      ssoIssuer: ISSUER,
      ssoSubject: "s-1",
      authSource: "oidc",
      passwordHash: null,
    });
    const created = await auditOf("sam@example.test", "user.create");
    expect(created[0]!.after).toMatchObject({ single_sign_on_identity: `${ISSUER} s-1` });
    // The API shows the bound identity.
    const users = await call<{ items: User[] }>("GET", "/v2/users", { token: admin });
    expect(users.body.items.find((u) => u.email === "sam@example.test")).toMatchObject({
      single_sign_on: true,
      single_sign_on_identity: { issuer: ISSUER, subject: "s-1" },
      single_sign_on_link_allowed: false,
    });
  });

  it("refuses a first sign-in whose email the provider has not verified: missing, false or not a boolean", async () => {
    for (const email_verified of [undefined, false, "true", 1]) {
      const result = await signIn({ sub: "s-2", email: "una@example.test", email_verified });
      expect(result).toMatchObject({ ok: false, code: "SsoEmailNotVerified" });
    }
    expect(await row("una@example.test")).toBeUndefined();
    expect(await actions("una@example.test")).toEqual(Array(4).fill("sign_in.failure"));
    // And one without any email or without a subject.
    expect(await signIn({ sub: "s-3" })).toMatchObject({ ok: false, code: "SsoNoEmail" });
    expect(await signIn({ sub: "", email: "x@example.test" })).toMatchObject({
      ok: false,
      code: "SsoNoIdentity",
    });
  });

  it("never lets a provider user with a password account's email become that account, nor change its role", async () => {
    await addPasswordUser("admin@localhost", "admin");
    const result = await signIn({ sub: "evil", email: "admin@localhost", groups: ["mac:viewer"] });
    expect(result).toMatchObject({ ok: false, code: "SsoPasswordAccount" });
    expect(await row("admin@localhost")).toMatchObject({
      role: "admin",
      ssoSubject: null,
      ssoIssuer: null,
      sessionVersion: 1,
    });
    const failure = await auditOf("admin@localhost", "sign_in.failure");
    expect(failure[0]!.after).toMatchObject({
      via: "oidc",
      single_sign_on_identity: `${ISSUER} evil`,
    });
  });

  it("keeps the same person when the same subject comes back with a new email, and audits the change", async () => {
    const first = await signIn({ sub: "s-4", email: "old@example.test", name: "Old Name" });
    const again = await signIn({ sub: "s-4", email: "new@example.test", name: "New Name" });
    expect(again).toMatchObject({ ok: true });
    expect(again.ok && first.ok && again.user.id).toBe(first.ok && first.user.id);
    expect(await row("old@example.test")).toBeUndefined();
    expect(await row("new@example.test")).toMatchObject({ name: "New Name", ssoSubject: "s-4" });
    const update = await auditOf("new@example.test", "user.update");
    expect(update.map((e) => [e.before, e.after])).toEqual([
      [
        { email: "old@example.test", name: "Old Name" },
        { email: "new@example.test", name: "New Name", via: "oidc claim" },
      ],
    ]);
    // An unverified new email isn't taken over, but the person still signs in as themselves.
    const unverified = await signIn({
      sub: "s-4",
      email: "unverified@example.test",
      email_verified: false,
      name: "New Name",
    });
    expect(unverified).toMatchObject({ ok: true, user: { email: "new@example.test" } });
    // A new email that belongs to someone else is refused, and changes nothing.
    await addPasswordUser("taken@example.test", "viewer");
    expect(await signIn({ sub: "s-4", email: "taken@example.test" })).toMatchObject({
      ok: false,
      code: "SsoEmailTaken",
    });
    expect(await row("new@example.test")).toMatchObject({ ssoSubject: "s-4" });
  });

  it("audits a name change, and a role or clients change, from a sign-in; nothing when nothing changed", async () => {
    await signIn({ sub: "s-5", email: "nia@example.test", name: "Nia" });
    await signIn({ sub: "s-5", email: "nia@example.test", name: "Nia" });
    expect(await auditOf("nia@example.test", "user.update")).toEqual([]);
    await signIn({ sub: "s-5", email: "nia@example.test", name: "Nia Renamed" });
    await signIn({
      sub: "s-5",
      email: "nia@example.test",
      name: "Nia Renamed",
      groups: ["mac:viewer:client-1"],
    });
    const updates = await auditOf("nia@example.test", "user.update");
    expect(updates.map((e) => [e.before, e.after])).toEqual([
      [{ name: "Nia" }, { name: "Nia Renamed", via: "oidc claim" }],
      [
        { role: "editor", clients: "*" },
        { role: "viewer", clients: ["client-1"], via: "oidc claim" },
      ],
    ]);
  });

  it("refuses another subject with the email of a bound person", async () => {
    await signIn({ sub: "s-6", email: "bo@example.test" });
    expect(await signIn({ sub: "s-6-imposter", email: "bo@example.test" })).toMatchObject({
      ok: false,
      code: "SsoOtherIdentity",
    });
    expect(await row("bo@example.test")).toMatchObject({ ssoSubject: "s-6" });
  });

  it("binds a person created by single sign-on before identities were kept (no password) on their next verified sign-in", async () => {
    await tdb.database.db
      .insert(users)
      .values({ email: "legacy@example.test", role: "viewer", authSource: "oidc" });
    expect(
      await signIn({ sub: "s-7", email: "legacy@example.test", email_verified: false }),
    ).toMatchObject({ ok: false, code: "SsoEmailNotVerified" });
    expect(await row("legacy@example.test")).toMatchObject({ ssoSubject: null });
    expect(await signIn({ sub: "s-7", email: "legacy@example.test" })).toMatchObject({ ok: true });
    expect(await row("legacy@example.test")).toMatchObject({ ssoSubject: "s-7", role: "editor" });
    const link = await auditOf("legacy@example.test", "user.sso_link");
    expect(link[0]!.after).toMatchObject({
      single_sign_on_identity: `${ISSUER} s-7`,
      via: "single sign-on person",
    });
    expect(await signIn({ sub: "s-7-other", email: "legacy@example.test" })).toMatchObject({
      ok: false,
      code: "SsoOtherIdentity",
    });
  });

  it("links a password account only after an admin allows it, once, and the admin can remove the link", async () => {
    const ana = await addPasswordUser("ana@example.test", "viewer");
    const allowed = await call<User>("PATCH", `/v2/users/${ana.id}`, {
      token: admin,
      body: { single_sign_on_link: "allow" },
      headers: { "x-change-reason": "Ana uses the IdP now" },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({
      single_sign_on_link_allowed: true,
      single_sign_on_identity: null,
    });
    // The allowance still needs a verified email.
    expect(
      await signIn({ sub: "s-8", email: "ana@example.test", email_verified: false }),
    ).toMatchObject({ ok: false, code: "SsoEmailNotVerified" });
    expect(await signIn({ sub: "s-8", email: "ana@example.test" })).toMatchObject({
      ok: true,
      user: { id: ana.id, role: "editor" },
    });
    expect(await row("ana@example.test")).toMatchObject({
      ssoIssuer: ISSUER,
      ssoSubject: "s-8",
      ssoLinkAllowed: false,
      authSource: "password",
    });
    // Used up: another identity with the same email is refused.
    expect(await signIn({ sub: "s-8-other", email: "ana@example.test" })).toMatchObject({
      ok: false,
      code: "SsoOtherIdentity",
    });
    expect(await actions("ana@example.test")).toEqual([
      "user.create",
      "user.update",
      "sign_in.failure",
      "user.sso_link",
      "user.update",
      "sign_in.success",
      "sign_in.failure",
    ]);
    const [allowEntry] = await auditOf("ana@example.test", "user.update");
    expect(allowEntry).toMatchObject({
      actor: "test-admin",
      reason: "Ana uses the IdP now",
      before: { single_sign_on_identity: null, single_sign_on_link_allowed: false },
      after: { single_sign_on_identity: null, single_sign_on_link_allowed: true },
    });

    // Removing the link unbinds the identity and ends the person's sessions.
    const sv = (await row("ana@example.test"))!.sessionVersion;
    const removed = await call<User>("PATCH", `/v2/users/${ana.id}`, {
      token: admin,
      body: { single_sign_on_link: "remove" },
    });
    expect(removed.body).toMatchObject({
      single_sign_on_identity: null,
      single_sign_on_link_allowed: false,
    });
    expect((await row("ana@example.test"))!.sessionVersion).toBe(sv + 1);
    expect(await signIn({ sub: "s-8", email: "ana@example.test" })).toMatchObject({
      ok: false,
      code: "SsoPasswordAccount",
    });
    expectError(
      await call("PATCH", `/v2/users/${ana.id}`, {
        token: admin,
        body: { single_sign_on_link: "yes" },
      }),
      400,
    );
  });

  it("never demotes the last enabled admin from the group claim; with another admin it does", async () => {
    await signIn({ sub: "s-9", email: "root@example.test", groups: ["mac:admin"] });
    for (const groups of [["mac:viewer"], ["mac:admin:client-1"]]) {
      const result = await signIn({ sub: "s-9", email: "root@example.test", groups });
      expect(result).toMatchObject({ ok: true, user: { role: "admin" } });
      expect(await row("root@example.test")).toMatchObject({ role: "admin", clients: null });
    }
    const refused = await auditOf("root@example.test", "user.update_refused");
    expect(refused.map((e) => e.after)).toMatchObject([
      { role: "viewer", reason: expect.stringMatching(/last enabled admin/) },
      { role: "admin", clients: ["client-1"] },
    ]);
    // An admin limited to one client can't manage people: they don't count as another admin.
    await addPasswordUser("limited@example.test", "viewer");
    await tdb.database.db
      .update(users)
      .set({ role: "admin", clients: ["client-1"] })
      .where(eq(users.email, "limited@example.test"));
    await signIn({ sub: "s-9", email: "root@example.test", groups: ["mac:viewer"] });
    expect(await row("root@example.test")).toMatchObject({ role: "admin" });

    await addPasswordUser("second@example.test", "admin");
    expect(
      await signIn({ sub: "s-9", email: "root@example.test", groups: ["mac:viewer"] }),
    ).toMatchObject({ ok: true, user: { role: "viewer" } });
  });

  it("a sign-in's claim and an admin's demotion at the same moment leave exactly one enabled admin", async () => {
    for (let round = 0; round < 5; round++) {
      await truncateWithAuditLog(tdb, "users, audit_log");
      await signIn({ sub: "s-a", email: "a@example.test", groups: ["mac:admin"] });
      const b = await addPasswordUser("b@example.test", "admin");
      const [patch, sso] = await Promise.all([
        call("PATCH", `/v2/users/${b.id}`, { token: admin, body: { role: "viewer" } }),
        signIn({ sub: "s-a", email: "a@example.test", groups: ["mac:viewer"] }),
      ]);
      expect(sso.ok).toBe(true);
      const admins = (await tdb.database.db.select().from(users)).filter(
        (u) => u.role === "admin" && !u.disabled,
      );
      expect(admins).toHaveLength(1);
      // Whichever went second found the other already demoted, and kept its admin.
      expect(patch.status === 422).toBe(admins[0]!.email === "b@example.test");
    }
  });

  it("the people routes don't count an admin limited to some clients as another admin", async () => {
    const root = await addPasswordUser("root@example.test", "admin");
    await tdb.database.db.insert(users).values({
      email: "limited@example.test",
      role: "admin",
      clients: ["client-1"],
      authSource: "oidc",
    });
    expectError(
      await call("PATCH", `/v2/users/${root.id}`, { token: admin, body: { role: "viewer" } }),
      422,
      /root@example.test is the last enabled admin/,
    );
  });

  it("holds one identity per person in the database itself", async () => {
    await signIn({ sub: "s-10", email: "one@example.test" });
    await expect(
      tdb.database.db.insert(users).values({
        email: "two@example.test",
        role: "viewer",
        ssoIssuer: ISSUER,
        ssoSubject: "s-10",
      }),
    ).rejects.toThrow();
    // Both parts or neither.
    await expect(
      tdb.database.db
        .insert(users)
        .values({ email: "three@example.test", role: "viewer", ssoSubject: "s-11" }),
    ).rejects.toThrow();
  });

  it("makes one person of first sign-ins of one identity at once (tabs racing), for each identity", async () => {
    // Several identities, three tabs each: one tab's row can commit between another's two reads (by identity,
    // then by email), which must find it as the same person, not as someone else's identity.
    const identities = Array.from({ length: 8 }, (_, i) => ({
      sub: `s-12-${i}`,
      email: `twin-${i}@example.test`,
    }));
    const results = await Promise.all(identities.flatMap((c) => [signIn(c), signIn(c), signIn(c)]));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    for (const { sub } of identities) {
      const rows = await tdb.database.db.select().from(users).where(eq(users.ssoSubject, sub));
      expect(rows).toHaveLength(1);
    }
  });
});
