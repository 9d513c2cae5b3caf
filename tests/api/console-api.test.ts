// The console's access routes: /v2/me, people (/v2/users), machine tokens (/v2/tokens) and the audit log.
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { verifyCredentials } from "@/lib/server/users/users";
import { call, TEST_TOKEN_CREATOR, token, type CallOptions } from "../helpers/api";
import { DOMAIN, expectError, ISO, resetDemo, service, UUID } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Me = {
  subject: string;
  via: string;
  scopes: string[];
  clients: string[] | "*";
  role: string | null;
  can: Record<string, boolean>;
};
type User = {
  id: string;
  email: string;
  name: string | null;
  must_change_password: boolean;
  role: string;
  disabled: boolean;
  created_at: string;
  updated_at: string;
  password?: string;
};
type ApiToken = {
  id: string;
  name: string;
  subject: string;
  scopes: string[];
  clients: string[] | "*";
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  token?: string;
};
type AuditEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  client_id: string | null;
  request_id: string | null;
  before: unknown;
  after: Record<string, unknown> | null;
};
type List<T> = { items: T[]; next_cursor?: string | null };

const ORIGIN = "http://localhost:3000";
const NO_SUCH_UUID = "00000000-0000-4000-8000-000000000000";

describe.each(DRIVERS)("console access API on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let reader: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "ops@example.com" });
    reader = await token({
      sub: "reader",
      scopes: ["assignments:read", "services:read", "models:read"],
      clients: ["client-1"],
    });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await resetDemo(tdb);
    await tdb.database.query(`delete from users`);
  });

  /** A person straight in the table (password hashing is not what these tests are about). */
  const addUser = async (email: string, role: "viewer" | "editor" | "admin", disabled = false) => {
    const [row] = await tdb.database.query<{ id: string }>(
      `insert into users (email, name, role, password_hash, disabled) values ($1, $2, $3, 'not-a-hash', $4) returning id`,
      [email, email.split("@")[0], role, disabled],
    );
    return row!.id;
  };
  /** Request headers of a person's console session (same origin, as the console's own pages send). */
  const session = async (uid: string): Promise<Record<string, string>> => {
    // As a fresh sign-in would: this session's id and the person's current session version.
    const [{ sv }] = (await tdb.database.query<{ sv: number }>(
      `select session_version as sv from users where id = $1`,
      [uid],
    )) as [{ sv: number }];
    const jwt = await encode({
      token: { uid, email: "ignored", sid: randomUUID(), sv, sat: Math.floor(Date.now() / 1000) },
      secret: process.env.AUTH_SECRET!,
    });
    return { cookie: `next-auth.session-token=${jwt}`, origin: ORIGIN };
  };
  const as = (auth: string | Record<string, string>, extra: CallOptions = {}): CallOptions =>
    typeof auth === "string" ? { token: auth, ...extra } : { headers: auth, ...extra };

  describe("GET /v2/me", () => {
    it("describes an admin token", async () => {
      const res = await call<Me>("GET", "/v2/me", { token: admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        subject: "ops@example.com",
        via: "token",
        scopes: ["admin"],
        clients: "*",
        role: null,
        must_change_password: false,
        can: { write_assignments: true, write_services: true, write_models: true, admin: true },
      });
    });

    it("describes a read-only token limited to one client", async () => {
      const res = await call<Me>("GET", "/v2/me", { token: reader });
      expect(res.body).toEqual({
        subject: "reader",
        via: "token",
        scopes: ["assignments:read", "services:read", "models:read"],
        clients: ["client-1"],
        role: null,
        must_change_password: false,
        can: { write_assignments: false, write_services: false, write_models: false, admin: false },
      });
    });

    it("describes a person's session with the role from the users table", async () => {
      const editor = await addUser("ed@example.com", "editor");
      const res = await call<Me>("GET", "/v2/me", { headers: await session(editor) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        subject: "user:ed@example.com",
        via: "session",
        scopes: [
          "assignments:read",
          "assignments:write",
          "services:read",
          "services:write",
          "models:read",
        ],
        clients: "*",
        role: "editor",
        must_change_password: false,
        can: { write_assignments: true, write_services: true, write_models: false, admin: false },
      });
      // A role change takes effect on the next request.
      await tdb.database.query(`update users set role = 'viewer' where id = $1`, [editor]);
      const after = await call<Me>("GET", "/v2/me", { headers: await session(editor) });
      expect(after.body.role).toBe("viewer");
      expect(after.body.can).toEqual({
        write_assignments: false,
        write_services: false,
        write_models: false,
        admin: false,
      });
    });

    it("401 without credentials, and for a disabled person's session", async () => {
      expectError(await call("GET", "/v2/me"), 401, /Authentication required/);
      const gone = await addUser("gone@example.com", "admin", true);
      expectError(await call("GET", "/v2/me", { headers: await session(gone) }), 401);
    });
  });

  describe("people", () => {
    it("403 for callers without the admin scope, person or machine", async () => {
      expectError(await call("GET", "/v2/users", { token: reader }), 403, /"admin" scope/);
      const editor = await addUser("ed@example.com", "editor");
      expectError(
        await call("GET", "/v2/users", { headers: await session(editor) }),
        403,
        /"admin" scope/,
      );
      expectError(
        await call("POST", "/v2/users", {
          token: reader,
          body: { email: "x@example.com", role: "viewer" },
        }),
        403,
      );
    });

    it("creates a person with a generated password shown once, who can then sign in", async () => {
      const res = await call<User>("POST", "/v2/users", {
        token: admin,
        body: { email: " New.Person@Example.com ", name: "New Person", role: "editor" },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        email: "new.person@example.com",
        name: "New Person",
        role: "editor",
        disabled: false,
      });
      expect(res.body.id).toMatch(UUID);
      expect(res.body.created_at).toMatch(ISO);
      expect(res.body.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect(res.headers.get("location")).toBe(`/v2/users/${res.body.id}`);
      expect(
        await verifyCredentials(tdb.database, {
          email: "new.person@example.com",
          password: res.body.password!,
        }),
      ).toMatchObject({ id: res.body.id });

      const list = await call<List<User>>("GET", "/v2/users", { token: admin });
      expect(list.status).toBe(200);
      expect(list.body.items.map((u) => u.email)).toEqual(["new.person@example.com"]);
      // No password or hash leaks: only whether the person must change it.
      expect(list.text).not.toMatch(/"password"|\$2[aby]\$/);
      expect(list.body.items[0]!.must_change_password).toBe(true);
      const one = await call<User>("GET", `/v2/users/${res.body.id}`, { token: admin });
      expect(one.body).toEqual(list.body.items[0]);
    });

    it("a password given is set and not echoed", async () => {
      const res = await call<User>("POST", "/v2/users", {
        token: admin,
        body: { email: "v@example.com", role: "viewer", password: "correct horse battery" },
      });
      expect(res.status).toBe(201);
      expect(res.body).not.toHaveProperty("password");
      expect(
        await verifyCredentials(tdb.database, {
          email: "v@example.com",
          password: "correct horse battery",
        }),
      ).not.toBeNull();
    });

    it("accepts intranet addresses like the ones the server issues (ops@intranet), refuses what has no @", async () => {
      const res = await call<User & { password: string }>("POST", "/v2/users", {
        token: admin,
        body: { email: " Ops@Intranet ", role: "viewer" },
      });
      expect(res.status).toBe(201);
      expect(res.body.email).toBe("ops@intranet");
      expect(
        await verifyCredentials(tdb.database, {
          email: "ops@intranet",
          password: res.body.password,
        }),
      ).toMatchObject({ id: res.body.id });
      for (const email of ["ops", "ops@", "@intranet", "o ps@intranet", "a@b@c", ""]) {
        const bad = await call("POST", "/v2/users", {
          token: admin,
          body: { email, role: "viewer" },
        });
        expectError(bad, 400, /Invalid request body/);
        expect(JSON.stringify(bad.body)).toMatch(/email/);
      }
    });

    it("400 for an invalid body, 409 for an email in use", async () => {
      const bad = await call("POST", "/v2/users", {
        token: admin,
        body: { email: "not-an-email", role: "boss", password: "short" },
      });
      expectError(bad, 400, /Invalid request body/);
      expect((bad.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual([
        "email",
        "password",
        "role",
      ]);
      expectError(
        await call("POST", "/v2/users", {
          token: admin,
          body: { email: "a@example.com", role: "viewer", extra: 1 },
        }),
        400,
      );
      await addUser("taken@example.com", "viewer");
      expectError(
        await call("POST", "/v2/users", {
          token: admin,
          body: { email: "TAKEN@example.com", role: "viewer" },
        }),
        409,
        /already exists/,
      );
    });

    it("PATCH changes role, name, disabled and password; audited", async () => {
      const id = await addUser("p@example.com", "viewer");
      const res = await call<User>("PATCH", `/v2/users/${id}`, {
        token: admin,
        body: { role: "editor", name: "Pat" },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, role: "editor", name: "Pat", disabled: false });
      const off = await call<User>("PATCH", `/v2/users/${id}`, {
        token: admin,
        body: { disabled: true, name: null },
      });
      expect(off.body).toMatchObject({ disabled: true, name: null });
      expectError(await call("GET", "/v2/me", { headers: await session(id) }), 401);
      await call("PATCH", `/v2/users/${id}`, {
        token: admin,
        body: { disabled: false, password: "a brand new password" },
      });
      expect(
        await verifyCredentials(tdb.database, {
          email: "p@example.com",
          password: "a brand new password",
        }),
      ).toMatchObject({ id });

      const audit = await call<List<AuditEntry>>(
        "GET",
        "/v2/audit?entity_type=user&entity_id=p@example.com",
        { token: admin },
      );
      expect(audit.body.items.map((e) => [e.action, e.actor, e.after])).toEqual([
        [
          "user.update",
          "ops@example.com",
          {
            name: null,
            role: "editor",
            disabled: false,
            password: "changed",
            must_change_password: true,
          },
        ],
        ["user.update", "ops@example.com", { name: null, role: "editor", disabled: true }],
        ["user.update", "ops@example.com", { name: "Pat", role: "editor", disabled: false }],
      ]);
    });

    it("PATCH: 400 for an empty body or a user_id that is not a UUID, 404 for an unknown one", async () => {
      const id = await addUser("p@example.com", "viewer");
      expectError(
        await call("PATCH", `/v2/users/${id}`, { token: admin, body: {} }),
        400,
        /at least one of/,
      );
      expectError(
        await call("PATCH", `/v2/users/${id}`, { token: admin, body: { role: "root" } }),
        400,
      );
      expectError(
        await call("PATCH", "/v2/users/not-a-uuid", { token: admin, body: { role: "viewer" } }),
        400,
        /user_id.*not a UUID/,
      );
      expectError(await call("GET", "/v2/users/not-a-uuid", { token: admin }), 400, /not a UUID/);
      expectError(
        await call("PATCH", `/v2/users/${NO_SUCH_UUID}`, {
          token: admin,
          body: { role: "viewer" },
        }),
        404,
        /not found/,
      );
    });

    it("the last enabled admin can neither disable nor demote themselves (422); with a second admin they can", async () => {
      const me = await addUser("root@example.com", "admin");
      await addUser("old-admin@example.com", "admin", true);
      const headers = await session(me);
      const disable = await call("PATCH", `/v2/users/${me}`, { headers, body: { disabled: true } });
      expectError(
        disable,
        422,
        /You are the last enabled admin: you cannot disable yourself.*another person an admin/,
      );
      expectError(
        await call("PATCH", `/v2/users/${me}`, { headers, body: { role: "editor" } }),
        422,
        /last enabled admin: you cannot demote yourself/,
      );
      // Nor may anyone else leave the console without an admin.
      expectError(
        await call("PATCH", `/v2/users/${me}`, { token: admin, body: { role: "viewer" } }),
        422,
        /root@example.com is the last enabled admin/,
      );
      expect((await call<Me>("GET", "/v2/me", { headers })).body.role).toBe("admin");

      // Harmless changes to the last admin are fine.
      expect(
        (await call("PATCH", `/v2/users/${me}`, { headers, body: { name: "Root", role: "admin" } }))
          .status,
      ).toBe(200);

      const other = await addUser("second@example.com", "editor");
      expect(
        (await call("PATCH", `/v2/users/${other}`, { headers, body: { role: "admin" } })).status,
      ).toBe(200);
      const demoted = await call<User>("PATCH", `/v2/users/${me}`, {
        headers,
        body: { role: "editor" },
      });
      expect(demoted.status).toBe(200);
      expect(demoted.body.role).toBe("editor");
      // Now "second" is the last one.
      expectError(
        await call("PATCH", `/v2/users/${other}`, { token: admin, body: { disabled: true } }),
        422,
        /second@example.com is the last enabled admin/,
      );
    });

    it("session writes from another origin are refused", async () => {
      const me = await addUser("root@example.com", "admin");
      const headers = { ...(await session(me)), origin: "https://evil.example" };
      expectError(
        await call("POST", "/v2/users", {
          headers,
          body: { email: "x@example.com", role: "admin" },
        }),
        403,
        /Cross-origin/,
      );
    });

    it("an admin token limited to some clients may not manage people", async () => {
      const limited = await token({ sub: "limited-admin", clients: ["client-1"] });
      expectError(
        await call("POST", "/v2/users", {
          token: limited,
          body: { email: "x@example.com", role: "admin" },
        }),
        403,
        /every client/,
      );
    });
  });

  describe("API tokens", () => {
    const create = (body: unknown, auth: string | Record<string, string> = admin) =>
      call<ApiToken>("POST", "/v2/tokens", as(auth, { body }));

    it("creates a token shown once, which then works with its scopes and clients", async () => {
      const res = await create({ name: "ci", scopes: ["services:read"], clients: ["client-1"] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: "ci",
        subject: "token:ci",
        scopes: ["services:read"],
        clients: ["client-1"],
        created_by: "ops@example.com",
        revoked_at: null,
        last_used_at: null,
      });
      // 90 days unless asked otherwise.
      expect(Date.parse(res.body.expires_at!) - Date.now()).toBeGreaterThan(89 * 24 * 3600_000);
      expect(res.body.id).toMatch(UUID);
      expect(res.body.created_at).toMatch(ISO);
      expect(res.headers.get("location")).toBe(`/v2/tokens/${res.body.id}`);
      const jwt = res.body.token!;
      expect(jwt.split(".")).toHaveLength(3);
      expect(JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString())).toMatchObject({
        jti: res.body.id,
        sub: "token:ci",
      });

      const me = await call<Me>("GET", "/v2/me", { token: jwt });
      expect(me.body).toMatchObject({
        subject: "token:ci",
        via: "token",
        scopes: ["services:read"],
        clients: ["client-1"],
      });
      expect((await call("GET", `${DOMAIN}/services`, { token: jwt })).status).toBe(200);
      expectError(
        await call("GET", "/v2/clients/client-2/domains/tasmania/services", { token: jwt }),
        403,
        /client "client-2"/,
      );
      expectError(
        await call("GET", `${DOMAIN}/assignments`, { token: jwt }),
        403,
        /assignments:read/,
      );

      const list = await call<List<ApiToken>>("GET", "/v2/tokens", { token: admin });
      expect(list.status).toBe(200);
      const row: ApiToken = { ...res.body };
      delete row.token;
      const made = list.body.items.filter((t) => t.created_by !== TEST_TOKEN_CREATOR);
      // Its uses above are recorded as its last use.
      expect(made).toEqual([{ ...row, last_used_at: expect.stringMatching(ISO) }]);
      expect(list.text).not.toContain(jwt);
      const one = await call<ApiToken>("GET", `/v2/tokens/${res.body.id}`, { token: admin });
      expect(one.body).toEqual(made[0]);
    });

    it("takes a subject, all clients and a lifetime", async () => {
      const before = Date.now();
      const res = await create({
        name: "nightly import",
        subject: "importer",
        scopes: ["services:write", "services:read"],
        clients: "*",
        expires_in_seconds: 3600,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        subject: "importer",
        clients: "*",
        scopes: ["services:write", "services:read"],
      });
      const expires = Date.parse(res.body.expires_at!);
      expect(expires).toBeGreaterThanOrEqual(before + 3600_000 - 2000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);
      const claims = JSON.parse(
        Buffer.from(res.body.token!.split(".")[1]!, "base64url").toString(),
      ) as { exp: number; clients: unknown };
      expect(Math.abs(claims.exp * 1000 - expires)).toBeLessThanOrEqual(1000);
      expect(claims.clients).toBe("*");
      expect((await call<Me>("GET", "/v2/me", { token: res.body.token! })).body).toMatchObject({
        subject: "importer",
        clients: "*",
      });
    });

    it("revoking answers the row with revoked_at (idempotent), and the token gets 401 everywhere", async () => {
      const created = await create({ name: "doomed", scopes: ["admin"], clients: "*" });
      const jwt = created.body.token!;
      expect((await call("GET", `${DOMAIN}/services`, { token: jwt })).status).toBe(200);

      const res = await call<ApiToken>("POST", `/v2/tokens/${created.body.id}/revoke`, {
        token: admin,
      });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(created.body.id);
      expect(res.body.revoked_at).toMatch(ISO);
      expect(res.body).not.toHaveProperty("token");

      for (const [method, url] of [
        ["GET", "/v2/me"],
        ["GET", `${DOMAIN}/services`],
        ["GET", "/v2/tokens"],
        ["POST", `/v2/tokens/${created.body.id}/revoke`],
      ] as const) {
        expectError(await call(method, url, { token: jwt }), 401, /revoked/);
      }
      expectError(
        await call("PATCH", service("svc-001"), { token: jwt, body: { name: "x" } }),
        401,
        /revoked/,
      );

      const again = await call<ApiToken>("POST", `/v2/tokens/${created.body.id}/revoke`, {
        token: admin,
      });
      expect(again.status).toBe(200);
      expect(again.body.revoked_at).toBe(res.body.revoked_at);

      const audit = await call<List<AuditEntry>>(
        "GET",
        `/v2/audit?entity_type=api_token&entity_id=${created.body.id}`,
        { token: admin },
      );
      expect(audit.body.items.map((e) => [e.action, e.actor, e.entity_id])).toEqual([
        ["token.revoke", "ops@example.com", created.body.id],
        ["token.first_use", "token:doomed", created.body.id],
        ["token.create", "ops@example.com", created.body.id],
      ]);
      expect(audit.body.items[2]!.after).toMatchObject({ name: "doomed", subject: "token:doomed" });
      expect(JSON.stringify(audit.body.items)).not.toContain(jwt);
    });

    it("revoke: 404 for an unknown token, 400 for a token_id that is not a UUID, 405 for GET", async () => {
      expectError(
        await call("POST", `/v2/tokens/${NO_SUCH_UUID}/revoke`, { token: admin }),
        404,
        /not found/,
      );
      expectError(
        await call("POST", "/v2/tokens/abc/revoke", { token: admin }),
        400,
        /token_id.*not a UUID/,
      );
      expectError(await call("GET", `/v2/tokens/${NO_SUCH_UUID}/revoke`, { token: admin }), 405);
    });

    it("400 for an invalid body", async () => {
      for (const body of [
        { name: "x", scopes: [], clients: "*" },
        { name: "x", scopes: ["root"], clients: "*" },
        { name: "x", scopes: ["admin"], clients: [] },
        { name: "x", scopes: ["admin"], clients: "all" },
        { name: "", scopes: ["admin"], clients: "*" },
        { name: "x", scopes: ["admin"], clients: "*", expires_in_seconds: 0 },
        { name: "x", scopes: ["admin"], clients: "*", token: "mine" },
        { scopes: ["admin"], clients: "*" },
      ]) {
        const res = await call("POST", "/v2/tokens", { token: admin, body });
        expectError(res, 400, /Invalid request body/);
        expect(res.body.issues).toEqual(
          expect.arrayContaining([expect.objectContaining({ path: expect.any(String) })]),
        );
      }
      expect(
        (await call<List<ApiToken>>("GET", "/v2/tokens", { token: admin })).body.items.filter(
          (t) => t.created_by !== TEST_TOKEN_CREATOR,
        ),
      ).toEqual([]);
    });

    it("403 without the admin scope; a client-limited admin mints only within its clients", async () => {
      expectError(
        await create({ name: "x", scopes: ["admin"], clients: "*" }, reader),
        403,
        /"admin" scope/,
      );
      expectError(await call("GET", "/v2/tokens", { token: reader }), 403);
      const limited = await token({ sub: "limited-admin", clients: ["client-1"] });
      expectError(
        await create({ name: "x", scopes: ["admin"], clients: "*" }, limited),
        403,
        /"\*"/,
      );
      expectError(
        await create({ name: "x", scopes: ["admin"], clients: ["client-1", "client-2"] }, limited),
        403,
        /"client-2"/,
      );
      const ok = await create(
        { name: "x", scopes: ["services:read"], clients: ["client-1"] },
        limited,
      );
      expect(ok.status).toBe(201);
      expect(ok.body.created_by).toBe("limited-admin");
    });

    it("a person's admin session manages tokens too", async () => {
      const root = await addUser("root@example.com", "admin");
      const headers = await session(root);
      const res = await create(
        { name: "from console", scopes: ["models:read"], clients: "*" },
        headers,
      );
      expect(res.status).toBe(201);
      expect(res.body.created_by).toBe("user:root@example.com");
      expect((await call("POST", `/v2/tokens/${res.body.id}/revoke`, { headers })).status).toBe(
        200,
      );
    });
  });

  describe("GET /v2/audit", () => {
    it("lists entries newest first, filtered, paged", async () => {
      const patch = await call("PATCH", service("svc-001"), {
        token: admin,
        body: { name: "Glenelg Tram (renamed)" },
        headers: { "x-request-id": "req-audit-1" },
      });
      expect(patch.status).toBe(200);
      await call("POST", "/v2/tokens", {
        token: admin,
        body: { name: "t", scopes: ["models:read"], clients: "*" },
      });
      await call("PATCH", service("svc-003"), { token: admin, body: { name: "O-Bahn" } });

      const all = await call<List<AuditEntry>>("GET", "/v2/audit", { token: admin });
      expect(all.status).toBe(200);
      expect(all.body.items.map((e) => e.action)).toEqual([
        "service.patch",
        "token.create",
        "service.patch",
      ]);
      expect(all.body.next_cursor).toBeNull();
      const ids = all.body.items.map((e) => e.id);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      const first = all.body.items[2]!;
      expect(first).toEqual({
        id: expect.any(Number),
        at: expect.stringMatching(ISO),
        actor: "ops@example.com",
        action: "service.patch",
        entity_type: "service",
        entity_id: "client-1/south_australia/svc-001",
        client_id: "client-1",
        request_id: "req-audit-1",
        reason: null,
        before: expect.objectContaining({ name: "Glenelg Tram" }),
        after: expect.objectContaining({ name: "Glenelg Tram (renamed)" }),
      });

      const byClient = await call<List<AuditEntry>>("GET", "/v2/audit?client_id=client-1", {
        token: admin,
      });
      expect(byClient.body.items.map((e) => e.entity_id)).toEqual([
        "client-1/south_australia/svc-003",
        "client-1/south_australia/svc-001",
      ]);
      const byEntity = await call<List<AuditEntry>>(
        "GET",
        "/v2/audit?entity_type=service&entity_id=client-1/south_australia/svc-003",
        { token: admin },
      );
      expect(byEntity.body.items).toHaveLength(1);
      expect(
        (await call<List<AuditEntry>>("GET", "/v2/audit?client_id=client-2", { token: admin })).body
          .items,
      ).toEqual([]);

      const p1 = await call<List<AuditEntry>>("GET", "/v2/audit?limit=2", { token: admin });
      expect(p1.body.items.map((e) => e.id)).toEqual(ids.slice(0, 2));
      const p2 = await call<List<AuditEntry>>(
        "GET",
        `/v2/audit?limit=2&cursor=${p1.body.next_cursor}`,
        { token: admin },
      );
      expect(p2.body.items.map((e) => e.id)).toEqual(ids.slice(2));
      expect(p2.body.next_cursor).toBeNull();
    });

    it("403 without admin; 400 for bad parameters; a client-limited admin sees only its clients", async () => {
      expectError(await call("GET", "/v2/audit", { token: reader }), 403, /"admin" scope/);
      expectError(
        await call("GET", "/v2/audit?cursor=nope", { token: admin }),
        400,
        /Invalid cursor/,
      );
      expectError(await call("GET", "/v2/audit?limit=0", { token: admin }), 400, /limit/);
      expectError(
        await call("GET", "/v2/audit?entity_type=Bad%20Type", { token: admin }),
        400,
        /entity_type/,
      );

      await call("PATCH", service("svc-001"), { token: admin, body: { name: "renamed" } });
      await call("POST", "/v2/tokens", {
        token: admin,
        body: { name: "t", scopes: ["models:read"], clients: "*" },
      });
      const limited = await token({ sub: "limited-admin", clients: ["client-2"] });
      expect(
        (await call<List<AuditEntry>>("GET", "/v2/audit", { token: limited })).body.items,
      ).toEqual([]);
      expectError(
        await call("GET", "/v2/audit?client_id=client-1", { token: limited }),
        403,
        /client "client-1"/,
      );
    });
  });
});
