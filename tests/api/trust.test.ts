// Issue 7, part A: revocable and expiring tokens (the CLI's included), service_updates needing services:write,
// callers limited to some clients seeing only their clients' tokens and people, security headers, safe
// sign-in redirects, JWKS issuer/audience, deeply nested bodies and a readiness probe that keeps details in the log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/open";
import { setDatabase } from "@/lib/server/database";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import type { Actor } from "@/lib/shared/scopes";
import { createApiToken } from "@/lib/server/tokens/api-tokens";
import { mintToken } from "@/lib/server/auth/tokens";
import { safeCallbackPath } from "@/lib/shared/safe-callback";
import { parseEnv } from "@/lib/server/env";
import { buildOpenApiDocument } from "@/lib/server/openapi/document";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import { DOMAIN, expectError, ISO, resetDemo, V2 } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type ApiToken = {
  id: string;
  name: string;
  scopes: string[];
  clients: string[] | "*";
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  token?: string;
};
type List<T> = { items: T[] };

const DAY = 24 * 3600 * 1000;

describe.each(DRIVERS)("trust gaps on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "ops" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const create = (body: Record<string, unknown>, as = admin) =>
    call<ApiToken>("POST", "/v2/tokens", { token: as, body });

  describe("gap 1: every token is listed, revocable and expiring", () => {
    it("refuses a well-signed token the server has no record of (it could never be revoked)", async () => {
      const rogue = await mintToken({ sub: "rogue", scopes: ["admin"], clients: "*" });
      expectError(await call("GET", "/v2/me", { token: rogue }), 401, /not known|revoke/i);
      const noJti = await mintToken({ sub: "rogue", scopes: ["admin"], clients: "*", jti: "" });
      expectError(await call("GET", "/v2/me", { token: noJti }), 401);
    });

    it("expires in 90 days unless asked otherwise; never_expires must be explicit", async () => {
      const before = Date.now();
      const res = await create({ name: "default-life", scopes: ["models:read"], clients: "*" });
      expect(res.status).toBe(201);
      const expires = Date.parse(res.body.expires_at!);
      expect(expires).toBeGreaterThanOrEqual(before + 90 * DAY - 2000);
      expect(expires).toBeLessThanOrEqual(Date.now() + 90 * DAY + 1000);
      const claims = JSON.parse(
        Buffer.from(res.body.token!.split(".")[1]!, "base64url").toString(),
      ) as { exp?: number };
      expect(claims.exp).toBeDefined();

      const forever = await create({
        name: "forever",
        scopes: ["models:read"],
        clients: "*",
        never_expires: true,
      });
      expect(forever.status).toBe(201);
      expect(forever.body.expires_at).toBeNull();
      expect(
        JSON.parse(Buffer.from(forever.body.token!.split(".")[1]!, "base64url").toString()),
      ).not.toHaveProperty("exp");

      expectError(
        await create({
          name: "both",
          scopes: ["models:read"],
          clients: "*",
          never_expires: true,
          expires_in_seconds: 3600,
        }),
        400,
        /never_expires|expires_in_seconds/,
      );
      expectError(
        await create({ name: "f", scopes: ["models:read"], clients: "*", never_expires: false }),
        400,
      );
    });

    it("records last use at most once a minute and audits the first use once", async () => {
      const res = await create({ name: "used", scopes: ["models:read"], clients: "*" });
      expect(res.body.last_used_at).toBeNull();
      const jwt = res.body.token!;
      await Promise.all([
        call("GET", "/v2/models", { token: jwt }),
        call("GET", "/v2/models", { token: jwt }),
      ]);
      forgetRevocationCache();
      const first = await call<ApiToken>("GET", `/v2/tokens/${res.body.id}`, { token: admin });
      expect(first.body.last_used_at).toMatch(ISO);
      forgetRevocationCache();
      expect((await call("GET", "/v2/models", { token: jwt })).status).toBe(200);
      const again = await call<ApiToken>("GET", `/v2/tokens/${res.body.id}`, { token: admin });
      expect(again.body.last_used_at).toBe(first.body.last_used_at);
      const audit = await tdb.database.query<{ actor: string }>(
        `select actor from audit_log where action = 'token.first_use' and entity_id = $1`,
        [res.body.id],
      );
      expect(audit).toEqual([{ actor: "token:used" }]);

      // A minute later the next use moves it.
      await tdb.database.query(
        `update api_tokens set last_used_at = now() - interval '2 minutes' where id = $1`,
        [res.body.id],
      );
      forgetRevocationCache();
      await call("GET", "/v2/models", { token: jwt });
      const later = await call<ApiToken>("GET", `/v2/tokens/${res.body.id}`, { token: admin });
      expect(Date.parse(later.body.last_used_at!)).toBeGreaterThan(
        Date.parse(first.body.last_used_at!) - 1000,
      );
      expect(
        (
          await tdb.database.query(
            `select 1 from audit_log where action = 'token.first_use' and entity_id = $1`,
            [res.body.id],
          )
        ).length,
      ).toBe(1);
    });

    it("never gives a token more scopes or clients than its creator has", async () => {
      const limited = await token({ sub: "limited-admin", clients: ["client-1"] });
      expectError(
        await create({ name: "wider", scopes: ["models:read"], clients: ["client-2"] }, limited),
        403,
        /client-2/,
      );
      expectError(
        await create({ name: "all", scopes: ["models:read"], clients: "*" }, limited),
        403,
      );
      expect(
        (await tdb.database.query(`select 1 from api_tokens where name in ('wider', 'all')`))
          .length,
      ).toBe(0);

      // POST /v2/tokens needs the admin scope, which holds every scope; the minting code itself still refuses
      // a creator without a scope it is asked to give.
      const modelsReader: Actor = {
        subject: "models-reader",
        scopes: new Set(["models:read"]),
        clients: "*",
        via: "token",
      };
      await expect(
        createApiToken(tdb.database, {
          actor: modelsReader,
          meta: { requestId: "req-1" },
          body: {
            name: "escalated",
            scopes: ["models:read", "models:write"],
            clients: "*",
          },
        }),
      ).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/models:write/) });
      expect(
        (await tdb.database.query(`select 1 from api_tokens where name = 'escalated'`)).length,
      ).toBe(0);
    });
  });

  describe("second review, gap 5: a token can't take a person's subject", () => {
    it("refuses subjects in the people's namespace (400, nothing written), on the API and in any case", async () => {
      const limited = await token({ sub: "limited-admin", clients: ["client-1"] });
      for (const subject of [
        "user:admin@localhost",
        " USER:admin@localhost",
        "User:ada@example.test",
      ]) {
        expectError(
          await create(
            { name: "forger", subject, scopes: ["assignments:write"], clients: ["client-1"] },
            limited,
          ),
          400,
          /person's subject/,
        );
      }
      expect(
        (await tdb.database.query(`select 1 from api_tokens where name = 'forger'`)).length,
      ).toBe(0);
      const named = await create(
        {
          name: "deployer",
          subject: "token:deploy-bot",
          scopes: ["assignments:write"],
          clients: ["client-1"],
        },
        limited,
      );
      expect(named.status).toBe(201);
    });
  });

  describe("gap 2: service_updates need services:write", () => {
    const body = {
      ...V2,
      service_updates: [
        { service_id: "svc-001", static_features: { route: "route-x" } },
        { service_id: "svc-003", static_features: { route: "route-obx" } },
        { service_id: "svc-006", static_features: { route: "route-pac", night_service: true } },
      ],
    };
    const features = async () =>
      (
        await tdb.database.query<{ f: unknown }>(
          `select provided_features as f from services where client_id = 'client-1' and id = 'svc-001'`,
        )
      )[0]!.f;

    it("refuses an assignments:write token that carries service_updates (403, nothing written)", async () => {
      const writer = await token({
        sub: "assign-only",
        scopes: ["assignments:read", "assignments:write"],
        clients: ["client-1"],
      });
      const before = await features();
      const revisions = await tdb.database.query(`select count(*)::int as n from assignments`);
      expectError(
        await call("PUT", DOMAIN_DEFAULT, { token: writer, body }),
        403,
        /services:write/,
      );
      expectError(
        await call("POST", `${DOMAIN}/assignments`, {
          token: writer,
          body: { ...body, assignment_key: "other" },
        }),
        403,
        /services:write/,
      );
      expect(await features()).toEqual(before);
      expect(await tdb.database.query(`select count(*)::int as n from assignments`)).toEqual(
        revisions,
      );
      // An empty list changes no service.
      const { service_updates: _unused, ...plain } = body;
      expect(
        (
          await call("PUT", DOMAIN_DEFAULT, {
            token: writer,
            body: { ...plain, service_updates: [] },
          })
        ).status,
      ).not.toBe(403);
    });

    it("accepts them with services:write as well", async () => {
      const both = await token({
        sub: "assign-and-services",
        scopes: ["assignments:write", "services:write"],
        clients: ["client-1"],
      });
      const res = await call("PUT", DOMAIN_DEFAULT, { token: both, body });
      expect(res.status).toBe(200);
      expect(await features()).toMatchObject({ route: "route-x" });
    });

    it("says so in the OpenAPI document", () => {
      const doc = buildOpenApiDocument() as {
        paths: Record<string, Record<string, { description?: string }>>;
      };
      for (const [path, method] of [
        ["/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}", "put"],
        ["/v2/clients/{client_id}/domains/{domain_id}/assignments", "post"],
      ] as const) {
        expect(doc.paths[path]?.[method]?.description).toMatch(
          /service_updates[^.]*services:write/,
        );
      }
    });
  });

  describe("gap 3: a caller limited to some clients", () => {
    it("lists only its clients' tokens, no people, and can't create a client", async () => {
      const mine = await create({ name: "mine", scopes: ["models:read"], clients: ["client-1"] });
      const theirs = await create({
        name: "theirs",
        scopes: ["models:read"],
        clients: ["client-2"],
      });
      const limited = await token({ sub: "client-1-admin", clients: ["client-1"] });
      const list = await call<List<ApiToken>>("GET", "/v2/tokens", { token: limited });
      expect(list.status).toBe(200);
      expect(list.body.items.map((t) => t.name)).toContain("mine");
      for (const t of list.body.items) expect(t.clients).not.toBe("*");
      for (const t of list.body.items) expect(t.clients).toEqual(["client-1"]);
      expect(list.text).not.toContain("client-2");
      expect(mine.status).toBe(201);
      expectError(await call("GET", `/v2/tokens/${theirs.body.id}`, { token: limited }), 404);

      expectError(
        await call("GET", "/v2/users", { token: limited }),
        403,
        /every client|all clients/,
      );

      expectError(
        await call("POST", "/v2/clients", {
          token: limited,
          body: { client_id: "client-9", name: "Nine" },
        }),
        403,
        /all clients|every client/,
      );
      expect((await tdb.database.query(`select 1 from clients where id = 'client-9'`)).length).toBe(
        0,
      );
    });

    it("reads the shared model registry but can't change it (403, nothing written)", async () => {
      const limited = await token({
        sub: "client-1-modeller",
        scopes: ["models:read", "models:write"],
        clients: ["client-1"],
      });
      expect((await call("GET", "/v2/models", { token: limited })).status).toBe(200);
      expectError(
        await call("POST", "/v2/models", {
          token: limited,
          body: { model_id: "sneaky-model", name: "Sneaky" },
        }),
        403,
        /shared by every client/,
      );
      expectError(
        await call("POST", "/v2/models/example-model/versions", {
          token: limited,
          body: { version: "9.9.9", features: [] },
        }),
        403,
        /shared by every client/,
      );
      expect(
        (
          await tdb.database.query(
            `select 1 from models where id = 'sneaky-model'
             union all select 1 from model_versions where version = '9.9.9'`,
          )
        ).length,
      ).toBe(0);
    });
  });

  describe("gap 5: security headers on API answers", () => {
    it("sends nosniff, a frame-denying CSP, Referrer-Policy and Permissions-Policy; HSTS over HTTPS", async () => {
      for (const res of [
        await call("GET", "/v2/me", { token: admin }),
        await call("GET", "/v2/openapi.json"),
        await call("GET", "/v2/no-such-route"),
        await call("GET", "/v2/me"),
      ]) {
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
        expect(res.headers.get("referrer-policy")).toBe("no-referrer");
        expect(res.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
        expect(res.headers.get("strict-transport-security")).toBeNull();
      }
      const https = await call("GET", "/v2/me", {
        token: admin,
        headers: { "x-forwarded-proto": "https" },
      });
      expect(https.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
      const live = await call("GET", "/v2/health/live");
      expect(live.headers.get("x-content-type-options")).toBe("nosniff");
      expect(live.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    });
  });

  describe("gap 8: bad input is a 4xx, details stay in the log", () => {
    it("answers 400 for a body nested 20,000 arrays deep", async () => {
      const deep = "[".repeat(20_000) + "]".repeat(20_000);
      const res = await call("PUT", DOMAIN_DEFAULT, {
        token: admin,
        rawBody: `{"model_id":"example-model","model_version":"2.0.0","settings":{"a":${deep}}}`,
        headers: { "content-type": "application/json" },
      });
      expectError(res, 400, /nested/);
      const obj = '{"a":'.repeat(20_000) + "1" + "}".repeat(20_000);
      expectError(
        await call("POST", "/v2/models", {
          token: admin,
          rawBody: obj,
          headers: { "content-type": "application/json" },
        }),
        400,
        /nested/,
      );
    });
  });
});

describe("gap 8: readiness keeps the database's error text in the log", () => {
  it("answers a generic 503 when the database fails", async () => {
    const database = await openDatabase({ dataDir: "memory://" });
    setDatabase(database);
    await database.close();
    const res = await call<{ success: boolean; message: string }>("GET", "/v2/health/ready");
    expect(res.status).toBe(503);
    const body = res.body;
    expect(body.success).toBe(false);
    expect(body.message).not.toMatch(/closed|PGlite/i);
    expect(body.message).toMatch(/not ready/);
    setDatabase(undefined);
  });
});

describe("gap 6: sign-in redirects stay on this site", () => {
  it.each([
    "/\\evil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "//evil.example",
    "https://evil.example/",
    "/\\/evil.example",
    "javascript:alert(1)",
    "/%5Cevil.example",
    "",
  ])("refuses %j", (raw) => {
    expect(safeCallbackPath(raw)).toBe("/clients");
  });
  it.each([
    ["/clients/client-1", "/clients/client-1"],
    ["/models?x=1#top", "/models?x=1#top"],
    ["http://localhost:3000/access", "/clients"],
  ])("keeps %j", (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });
  it("defaults without one", () => expect(safeCallbackPath(null)).toBe("/clients"));
});

describe("gap 7: AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE", () => {
  it("refuses to start without both", () => {
    expect(() => parseEnv({ AUTH_JWKS_URL: "https://idp.example/.well-known/jwks.json" })).toThrow(
      /AUTH_ISSUER.*AUTH_AUDIENCE|AUTH_AUDIENCE.*AUTH_ISSUER/s,
    );
    expect(() =>
      parseEnv({
        AUTH_JWKS_URL: "https://idp.example/.well-known/jwks.json",
        AUTH_ISSUER: "https://idp.example/",
      }),
    ).toThrow(/AUTH_AUDIENCE/);
    expect(
      parseEnv({
        AUTH_JWKS_URL: "https://idp.example/.well-known/jwks.json",
        AUTH_ISSUER: "https://idp.example/",
        AUTH_AUDIENCE: "model-console",
      }).AUTH_AUDIENCE,
    ).toBe("model-console");
    expect(parseEnv({}).AUTH_JWKS_URL).toBeUndefined();
  });
});
