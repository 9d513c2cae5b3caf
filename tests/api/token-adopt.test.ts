// Issue 22: a token minted by `npm run token` before 0.2.0 has no api_tokens row and is refused (401) with a message
// saying how to adopt it; adopting records it (listed, last use shown, expiring, audited) so it works again, and
// revoking it locks it out for good.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { apiTokens, auditLog } from "@/db/schema";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import { call, token } from "../helpers/api";
import { expectError, ISO, resetDemo } from "../helpers/demo";
import { legacyToken } from "../helpers/legacy-token";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type ApiToken = {
  id: string;
  name: string;
  subject: string;
  scopes: string[];
  clients: string[] | "*";
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  adopted_at: string | null;
};

const DAY = 24 * 3600 * 1000;
const DOMAINS = "/v2/clients/client-1/domains";

describe.each(DRIVERS)("adopting a legacy token on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "ops" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const adopt = (body: Record<string, unknown>, as = admin, reason?: string) =>
    call<ApiToken>("POST", "/v2/tokens/adopt", {
      token: as,
      body,
      headers: reason ? { "x-change-reason": reason } : {},
    });

  it("refuses it until adopted, saying how; then it works, is listed with its last use, and revoking it ends it", async () => {
    const legacy = await legacyToken({
      sub: "deploy-pipeline",
      scopes: ["assignments:read", "assignments:write"],
      clients: ["client-1"],
    });
    const refused = await call("GET", DOMAINS, { token: legacy.jwt });
    expectError(refused, 401, /no record of the bearer token/);
    expect(refused.body.message).toMatch(/npm run token -- adopt <JWT>/);
    expect(refused.body.message).toMatch(/Access page/);

    const before = Date.now();
    const adopted = await adopt({ token: legacy.jwt, name: "deploy (legacy)" }, admin, "rotating");
    expect(adopted.status).toBe(201);
    expect(adopted.headers.get("location")).toBe(`/v2/tokens/${legacy.jti}`);
    expect(adopted.body).toMatchObject({
      id: legacy.jti,
      name: "deploy (legacy)",
      subject: "deploy-pipeline",
      scopes: ["assignments:read", "assignments:write"],
      clients: ["client-1"],
      created_by: "ops",
      revoked_at: null,
      last_used_at: null,
      adopted_at: expect.stringMatching(ISO),
    });
    // The JWT has no exp; the record gives it the default 90 days.
    expect(Date.parse(adopted.body.expires_at!)).toBeGreaterThanOrEqual(before + 90 * DAY - 2000);
    expect(Date.parse(adopted.body.expires_at!)).toBeLessThanOrEqual(Date.now() + 90 * DAY);

    // The adoption is audited through the one writer, with its reason and the record (never the JWT).
    const [entry] = await tdb.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "token.adopt"));
    expect(entry).toMatchObject({
      actor: "ops",
      entityType: "api_token",
      entityId: legacy.jti,
      reason: "rotating",
    });
    expect(JSON.stringify(entry!.after)).not.toContain(legacy.jwt);

    expect((await call("GET", DOMAINS, { token: legacy.jwt })).status).toBe(200);
    const listed = await call<{ items: ApiToken[] }>("GET", "/v2/tokens", { token: admin });
    const row = listed.body.items.find((t) => t.id === legacy.jti);
    expect(row?.last_used_at).toMatch(ISO);
    expect(row?.adopted_at).toMatch(ISO);

    const again = await adopt({ token: legacy.jwt });
    expectError(again, 409, /already recorded/);

    const revoked = await call<ApiToken>("POST", `/v2/tokens/${legacy.jti}/revoke`, {
      token: admin,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toMatch(ISO);
    expectError(await call("GET", DOMAINS, { token: legacy.jwt }), 401, /revoked/);
    // A revoked token can't be brought back by adopting it again.
    expectError(await adopt({ token: legacy.jwt }), 409, /revoked/);
    expectError(await call("GET", DOMAINS, { token: legacy.jwt }), 401, /revoked/);
    const actions = (
      await tdb.database.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(eq(auditLog.entityId, legacy.jti))
    ).map((r) => r.action);
    expect(actions.sort()).toEqual(["token.adopt", "token.first_use", "token.revoke"]);
  });

  it("enforces the record's expiry, which never outlasts the JWT's own exp", async () => {
    const short = await legacyToken({ sub: "batch", scopes: ["models:read"], clients: "*" });
    const adopted = await adopt({ token: short.jwt, expires_in_seconds: 3600 });
    expect(adopted.status).toBe(201);
    expect(adopted.body.name).toBe("adopted batch");
    expect(Date.parse(adopted.body.expires_at!)).toBeLessThanOrEqual(Date.now() + 3600 * 1000);
    expect((await call("GET", "/v2/models", { token: short.jwt })).status).toBe(200);
    // The JWT itself would live forever: the record's expiry is what ends it.
    await tdb.database.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, short.jti));
    forgetRevocationCache();
    expectError(await call("GET", "/v2/models", { token: short.jwt }), 401, /expired/);

    const capped = await legacyToken({
      sub: "nightly",
      scopes: ["models:read"],
      clients: "*",
      expiresInSeconds: 7200,
    });
    const forever = await adopt({ token: capped.jwt, never_expires: true });
    expect(forever.status).toBe(201);
    const ownExp = JSON.parse(
      Buffer.from(capped.jwt.split(".")[1]!, "base64url").toString("utf8"),
    ) as { exp: number };
    expect(Date.parse(forever.body.expires_at!)).toBe(ownExp.exp * 1000);
  });

  it("refuses what it can't or mustn't adopt, with what to do instead", async () => {
    const foreign = await legacyToken({
      sub: "x",
      scopes: ["models:read"],
      clients: "*",
      secret: "another-servers-secret-another-servers-secret",
    });
    expectError(await adopt({ token: foreign.jwt }), 400, /signature is not valid.*mint a new one/);
    expectError(await adopt({ token: "not-a-jwt" }), 400, /malformed/);
    const person = await legacyToken({
      sub: "user:ana@example.com",
      scopes: ["admin"],
      clients: "*",
    });
    expectError(await adopt({ token: person.jwt }), 400, /person's/);
    const expired = await legacyToken({
      sub: "old",
      scopes: ["models:read"],
      clients: "*",
      expiresInSeconds: -60,
    });
    expectError(await adopt({ token: expired.jwt }), 400, /expired/);
    const valid = await legacyToken({ sub: "ok", scopes: ["models:read"], clients: "*" });
    expectError(
      await adopt({ token: valid.jwt, never_expires: true, expires_in_seconds: 3600 }),
      400,
      /either expires_in_seconds or never_expires/,
    );
    // No more than its adopter: a caller limited to client-1 can't adopt an all-clients token, nor one with admin.
    const limited = await token({ sub: "limited-admin", scopes: ["admin"], clients: ["client-1"] });
    expectError(await adopt({ token: valid.jwt }, limited), 403, /clients "\*"/);
    const editor = await token({ sub: "editor", scopes: ["assignments:write"], clients: "*" });
    expectError(await adopt({ token: valid.jwt }, editor), 403);
    // A token made here already has its record.
    expectError(await adopt({ token: admin }), 409, /already recorded/);
    // Nothing was written by the refusals; the valid token is still refused until adopted.
    const rows = await tdb.database.db.select().from(apiTokens).where(eq(apiTokens.id, valid.jti));
    expect(rows).toEqual([]);
    expectError(await call("GET", "/v2/models", { token: valid.jwt }), 401, /adopt/);
  });
});
