// Who may do what: 401 for every bad credential, 403 for a missing scope or client, tenant isolation of reads
// by id, and the audit trail of who wrote what.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mintToken } from "@/lib/server/auth/tokens";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import { call, DOMAIN_DEFAULT, SEED_PUT, token } from "../helpers/api";
import { DOMAIN, expectError, resetDemo, service, V1, V2 } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Row = Record<string, unknown> & { assignment_id: string };
type AuditRow = {
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  client_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

describe.each(DRIVERS)("authentication and authorization on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const revisionCount = async () =>
    Number(
      (
        await tdb.database.query<{ n: number }>(
          `select count(*)::int as n from assignments where scope = 'service-1'`,
        )
      )[0]!.n,
    );

  describe("401", () => {
    const expect401 = async (options: Parameters<typeof call>[2], message: RegExp) => {
      const res = await call("PUT", SEED_PUT, { body: V2, ...options });
      expectError(res, 401, message);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await revisionCount()).toBe(0);
    };

    it("without credentials", async () => {
      await expect401({}, /Authentication required.*Bearer/);
      expectError(await call("GET", SEED_PUT), 401);
    });

    it("for a malformed Authorization header", async () => {
      await expect401(
        { headers: { authorization: "Basic dXNlcjpwYXNz" } },
        /Malformed Authorization header/,
      );
      await expect401({ headers: { authorization: "Bearer" } }, /Malformed Authorization header/);
    });

    it("for a token that is not a JWT", async () => {
      await expect401({ token: "not-a-jwt" }, /malformed/);
      await expect401({ token: "aaa.bbb.ccc" }, /Invalid token/);
    });

    it("for an expired token", async () => {
      await expect401({ token: await token({ expiresInSeconds: -3600 }) }, /expired/);
    });

    it("for a token signed with another secret", async () => {
      const forged = await mintToken(
        { sub: "mallory", scopes: ["admin"], clients: "*" },
        new TextEncoder().encode("some-other-secret-some-other-secret-0123"),
      );
      await expect401({ token: forged }, /signature/);
    });

    it("for a token with an alg=none header", async () => {
      const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
      const unsigned = `${part({ alg: "none", typ: "JWT" })}.${part({ sub: "mallory", scope: "admin", clients: "*" })}.`;
      await expect401({ token: unsigned }, /Invalid token/);
    });

    it("for a revoked token, while other tokens keep working", async () => {
      const jti = randomUUID();
      const revoked = await token({ sub: "ci-bot", jti });
      expect((await call("GET", `${DOMAIN}/services`, { token: revoked })).status).toBe(200);

      await tdb.database.query(`update api_tokens set revoked_at = now() where id = $1`, [jti]);
      forgetRevocationCache();

      await expect401({ token: revoked }, /revoked/);
      expectError(await call("GET", `${DOMAIN}/services`, { token: revoked }), 401, /revoked/);
      expect((await call("GET", `${DOMAIN}/services`, { token: admin })).status).toBe(200);
    });
  });

  describe("403", () => {
    it("for a token without the write scope; reads still work", async () => {
      const viewer = await token({ sub: "viewer", scopes: ["assignments:read"] });
      const put = await call("PUT", SEED_PUT, { token: viewer, body: V2 });
      expectError(put, 403, /"assignments:write"/);
      expectError(
        await call("POST", `${DOMAIN}/assignments`, {
          token: viewer,
          body: { assignment_key: "x", ...V1 },
        }),
        403,
        /assignments:write/,
      );
      expect(await revisionCount()).toBe(0);

      const read = await call<Row>("GET", `${DOMAIN_DEFAULT}`, { token: viewer });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ model_version: "1.0.0", service_id: null });
      expect((await call("GET", `${SEED_PUT}/effective`, { token: viewer })).status).toBe(200);
      // Services and models need their own scopes.
      expectError(
        await call("GET", `${DOMAIN}/services`, { token: viewer }),
        403,
        /"services:read"/,
      );
      expectError(await call("GET", "/v2/models", { token: viewer }), 403, /"models:read"/);
    });

    it("maps the viewer and editor roles' scopes", async () => {
      const viewer = await token({
        sub: "v",
        scopes: ["assignments:read", "services:read", "models:read"],
      });
      expect((await call("GET", `${DOMAIN}/services`, { token: viewer })).status).toBe(200);
      expect((await call("GET", "/v2/models/example-model", { token: viewer })).status).toBe(200);
      expectError(
        await call("PATCH", service("svc-004"), { token: viewer, body: { name: "x" } }),
        403,
        /services:write/,
      );
      expectError(
        await call("POST", "/v2/models", { token: viewer, body: { model_id: "m" } }),
        403,
        /models:write/,
      );

      const editor = await token({
        sub: "e",
        scopes: [
          "assignments:read",
          "assignments:write",
          "services:read",
          "services:write",
          "models:read",
        ],
      });
      expect((await call("PUT", SEED_PUT, { token: editor, body: V2 })).status).toBe(200);
      expect(
        (await call("PATCH", service("svc-004"), { token: editor, body: { name: "Loop" } })).status,
      ).toBe(200);
      expectError(
        await call("POST", "/v2/models", { token: editor, body: { model_id: "m" } }),
        403,
        /models:write/,
      );
      expectError(
        await call("POST", "/v2/clients", { token: editor, body: { client_id: "c-3" } }),
        403,
        /admin/,
      );
    });

    it("for a token limited to another client", async () => {
      const other = await token({ sub: "tas", clients: ["client-2"] });
      expectError(
        await call("PUT", SEED_PUT, { token: other, body: V2 }),
        403,
        /client "client-1"/,
      );
      expectError(await call("GET", SEED_PUT, { token: other }), 403, /client "client-1"/);
      expectError(
        await call("GET", `${DOMAIN}/services`, { token: other }),
        403,
        /client "client-1"/,
      );
      expectError(await call("GET", "/v2/clients/client-1", { token: other }), 403);
      expect(await revisionCount()).toBe(0);

      // Its own client works.
      const own = await call<Row>(
        "GET",
        "/v2/clients/client-2/domains/tasmania/assignments/default",
        { token: other },
      );
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({
        client_id: "client-2",
        domain_id: "tasmania",
        model_version: "2.0.0",
      });
      const clients = await call<{ items: { client_id: string }[] }>("GET", "/v2/clients", {
        token: other,
      });
      expect(clients.body.items.map((c) => c.client_id)).toEqual(["client-2"]);
    });

    it("for a token with no clients at all", async () => {
      const none = await token({ clients: [] });
      expectError(await call("GET", SEED_PUT, { token: none }), 403);
      expect(
        (await call<{ items: unknown[] }>("GET", "/v2/clients", { token: none })).body.items,
      ).toEqual([]);
    });

    it("checks the scope before the body", async () => {
      const viewer = await token({ scopes: ["assignments:read"] });
      expectError(
        await call("PUT", SEED_PUT, {
          token: viewer,
          rawBody: "{",
          headers: { "content-type": "application/json" },
        }),
        403,
      );
    });
  });

  describe("reads by id are tenant-checked", () => {
    it("404 for another client's revision, as if it did not exist", async () => {
      const written = await call<Row>("PUT", SEED_PUT, { token: admin, body: V2 });
      const id = written.body.assignment_id;
      const other = await token({ clients: ["client-2"] });
      const hidden = await call("GET", `/v2/assignments/${id}`, { token: other });
      expectError(hidden, 404, new RegExp(id));
      const missing = await call("GET", `/v2/assignments/${randomUUID()}`, { token: other });
      expect({ status: hidden.status, keys: Object.keys(hidden.body) }).toEqual({
        status: missing.status,
        keys: Object.keys(missing.body),
      });

      const mine = await token({ clients: ["client-1"], scopes: ["assignments:read"] });
      expect((await call<Row>("GET", `/v2/assignments/${id}`, { token: mine })).body).toEqual({
        ...written.body,
        service_changes: [],
        pinned_services: [],
        change_request_id: null,
        approval_bypass: null,
      });
    });

    it("400 for an id that is not a UUID", async () => {
      const res = await call("GET", "/v2/assignments/not-a-uuid", { token: admin });
      expectError(res, 400, /not a UUID/);
      expect(res.body.issues).toEqual([{ path: "assignment_id", message: expect.any(String) }]);
    });
  });

  describe("audit log", () => {
    it("records every write with the token's subject and before/after", async () => {
      const alice = await token({ sub: "alice@example.com" });
      const first = await call<Row>("PUT", SEED_PUT, { token: alice, body: V2 });
      expect(first.body.created_by).toBe("alice@example.com");
      const bob = await token({ sub: "bob@example.com", scopes: ["assignments:write"] });
      const second = await call<Row>("PUT", SEED_PUT, { token: bob, body: V1 });
      expect(second.body.created_by).toBe("bob@example.com");

      const rows = await tdb.database.query<AuditRow>(
        `select actor, action, entity_type, entity_id, client_id, before, after from audit_log
         where entity_type = 'assignment' order by id`,
      );
      expect(rows).toEqual([
        {
          actor: "alice@example.com",
          action: "assignment.upsert",
          entity_type: "assignment",
          entity_id: "client-1/south_australia/service-1/default",
          client_id: "client-1",
          before: null,
          after: expect.objectContaining({
            assignment_id: first.body.assignment_id,
            model_version: "2.0.0",
            status: "active",
          }),
        },
        {
          actor: "bob@example.com",
          action: "assignment.upsert",
          entity_type: "assignment",
          entity_id: "client-1/south_australia/service-1/default",
          client_id: "client-1",
          before: expect.objectContaining({
            assignment_id: first.body.assignment_id,
            model_version: "2.0.0",
            status: "archived",
          }),
          after: expect.objectContaining({
            assignment_id: second.body.assignment_id,
            model_version: "1.0.0",
            status: "active",
          }),
        },
      ]);
    });

    it("records service patches made by an upsert, and retirements", async () => {
      const carol = await token({ sub: "carol" });
      const res = await call("PUT", DOMAIN_DEFAULT, {
        token: carol,
        body: {
          ...V2,
          service_updates: [
            { service_id: "svc-001", static_features: { route: "route-a" } },
            { service_id: "svc-003", static_features: { route: "route-o" } },
            { service_id: "svc-006", static_features: { route: "route-p", night_service: true } },
          ],
        },
      });
      expect(res.status).toBe(200);
      await call("PUT", SEED_PUT, { token: carol, body: { ...V2, status: "archived" } });

      const patches = await tdb.database.query<AuditRow>(
        `select actor, action, entity_type, entity_id, client_id, before, after from audit_log where action = 'service.patch' order by entity_id`,
      );
      expect(patches.map((p) => p.entity_id)).toEqual([
        "client-1/south_australia/svc-001",
        "client-1/south_australia/svc-003",
        "client-1/south_australia/svc-006",
      ]);
      expect(patches[0]).toMatchObject({
        actor: "carol",
        before: { provided_features: { mode: "tram" } },
        after: { provided_features: { mode: "tram", route: "route-a" } },
      });
      const retire = await tdb.database.query<AuditRow>(
        `select actor, action from audit_log where action = 'assignment.retire'`,
      );
      expect(retire).toEqual([{ actor: "carol", action: "assignment.retire" }]);
    });
  });
});
