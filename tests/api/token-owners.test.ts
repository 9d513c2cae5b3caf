// Second trust review, gap 8: tokens don't outlive their makers. A token made by a token never expires after it
// (unless an all-clients admin says so), and disabling a person revokes the tokens they answer for, unless an admin
// hands them over to someone else in the same step. Signed in for real (next-auth) where a person makes a token.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ApiToken, ApiTokenCreated, User } from "@/lib/schemas/access";
import { createUser } from "@/lib/server/users/users";
import { call, token } from "../helpers/api";
import { Browser } from "../helpers/browser";
import { expectError, resetDemo, truncateWithAuditLog } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

const PASSWORD = "a long password 1";
const HOUR = 3600;

type AuditPage = { items: { action: string; entity_id: string; reason: string | null }[] };

describe.each(DRIVERS)("tokens answer to their makers on %s", (driver) => {
  let tdb: TestDatabase;
  let root: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    root = await token({ sub: "root-ops" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await resetDemo(tdb);
    await truncateWithAuditLog(tdb, "users, sign_in_attempts, ended_sessions");
    for (const [name, role] of [
      ["eve", "admin"],
      ["sam", "admin"],
      ["ivy", "viewer"],
      // So that eve and sam are never the last enabled admins.
      ["kim", "admin"],
    ] as const) {
      ids[name] = (
        await createUser(tdb.database, {
          body: { email: `${name}@example.test`, role, password: PASSWORD },
        })
      ).id;
    }
  });

  const signedIn = async (name: string) => {
    const browser = new Browser();
    expect((await browser.signIn(`${name}@example.test`, PASSWORD)).ok).toBe(true);
    return browser;
  };
  const mint = (as: string | Browser, body: Record<string, unknown>) =>
    typeof as === "string"
      ? call<ApiTokenCreated>("POST", "/v2/tokens", { token: as, body })
      : as.v2<ApiTokenCreated>("POST", "/v2/tokens", { body });
  const works = async (bearer: string) => (await call("GET", "/v2/me", { token: bearer })).status;
  const disable = (id: string, extra: Record<string, unknown> = {}) =>
    call<User>("PATCH", `/v2/users/${id}`, {
      token: root,
      body: { disabled: true, ...extra },
      headers: { "x-change-reason": "left the team" },
    });

  it("a token made by a token never expires after it: defaults shorten, longer asks are refused", async () => {
    const eve = await signedIn("eve");
    const parent = await mint(eve, {
      name: "pipeline",
      scopes: ["admin"],
      clients: "*",
      expires_in_seconds: HOUR,
    });
    expect(parent.status).toBe(201);
    expect(parent.body.owner_user_id).toBe(ids.eve);
    expect(parent.body.parent_token_id).toBeNull();
    const parentEnd = Date.parse(parent.body.expires_at!);

    for (const ask of [{ never_expires: true }, { expires_in_seconds: 2 * HOUR }]) {
      expectError(
        await mint(parent.body.token, {
          name: "longer",
          scopes: ["models:read"],
          clients: "*",
          ...ask,
        }),
        400,
        /can't outlive the token that makes it: yours expires at .*expires_in_seconds of at most \d+/,
      );
    }
    expect(
      (await tdb.database.query(`select 1 from api_tokens where name = 'longer'`)).length,
    ).toBe(0);

    // Unasked, the 90-day default ends with the parent; the child answers to the parent's person.
    const child = await mint(parent.body.token, {
      name: "child",
      scopes: ["models:read"],
      clients: "*",
    });
    expect(child.status).toBe(201);
    expect(Date.parse(child.body.expires_at!)).toBeLessThanOrEqual(parentEnd);
    expect(Date.parse(child.body.expires_at!)).toBeGreaterThan(parentEnd - 5_000);
    expect(child.body.parent_token_id).toBe(parent.body.id);
    expect(child.body.owner_user_id).toBe(ids.eve);
    const shorter = await mint(parent.body.token, {
      name: "shorter",
      scopes: ["models:read"],
      clients: "*",
      expires_in_seconds: 600,
    });
    expect(shorter.status).toBe(201);

    // An all-clients admin may say the new token outlives its maker; nobody else may.
    const outlives = await mint(parent.body.token, {
      name: "outlives",
      scopes: ["models:read"],
      clients: "*",
      never_expires: true,
      outlive_creator: true,
    });
    expect(outlives.status).toBe(201);
    expect(outlives.body.expires_at).toBeNull();
    const limited = await mint(parent.body.token, {
      name: "limited-admin",
      scopes: ["admin"],
      clients: ["client-1"],
    });
    expect(limited.status).toBe(201);
    expectError(
      await mint(limited.body.token, {
        name: "escape",
        scopes: ["models:read"],
        clients: ["client-1"],
        never_expires: true,
        outlive_creator: true,
      }),
      403,
      /outlive_creator needs an admin who may touch every client/,
    );
  });

  it("disabling a person revokes the tokens they made and the tokens those made, audited with the reason", async () => {
    const eve = await signedIn("eve");
    const made = await mint(eve, { name: "eve-deploy", scopes: ["admin"], clients: "*" });
    const grandchild = await mint(made.body.token, {
      name: "eve-child",
      scopes: ["assignments:read"],
      clients: "*",
    });
    const sams = await mint(await signedIn("sam"), {
      name: "sam-deploy",
      scopes: ["assignments:read"],
      clients: "*",
    });
    for (const t of [made, grandchild, sams]) expect(await works(t.body.token)).toBe(200);

    const res = await disable(ids.eve!);
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect(await works(made.body.token)).toBe(401);
    expect(await works(grandchild.body.token)).toBe(401);
    expect(await works(sams.body.token)).toBe(200);

    const listed = await call<{ items: ApiToken[] }>("GET", "/v2/tokens", { token: root });
    const byName = new Map(listed.body.items.map((t) => [t.name, t]));
    expect(byName.get("eve-deploy")!.revoked_at).not.toBeNull();
    expect(byName.get("eve-child")!.revoked_at).not.toBeNull();
    expect(byName.get("sam-deploy")!.revoked_at).toBeNull();

    const audit = await call<AuditPage>("GET", "/v2/audit?action=token.revoke", { token: root });
    expect(audit.body.items.map((e) => [e.entity_id, e.reason]).sort()).toEqual(
      [
        [made.body.id, "left the team"],
        [grandchild.body.id, "left the team"],
      ].sort(),
    );
  });

  it("hands a disabled person's tokens over to another person instead, in the same step", async () => {
    const made = await mint(await signedIn("eve"), {
      name: "eve-etl",
      scopes: ["assignments:read"],
      clients: "*",
    });
    // Refused, and nothing changes: handing to oneself, to nobody, to a disabled person, or without disabling.
    expectError(
      await disable(ids.eve!, { hand_tokens_to: ids.eve }),
      422,
      /the person being disabled/,
    );
    expectError(
      await disable(ids.eve!, { hand_tokens_to: "6f1d2c3b-0000-4000-8000-000000000000" }),
      422,
      /no enabled person has the id/,
    );
    expectError(
      await call("PATCH", `/v2/users/${ids.eve}`, {
        token: root,
        body: { name: "Eve", hand_tokens_to: ids.sam },
      }),
      400,
      /hand_tokens_to goes with disabled: true/,
    );
    expect((await disable(ids.ivy!)).status).toBe(200);
    expectError(await disable(ids.eve!, { hand_tokens_to: ids.ivy }), 422, /no enabled person/);
    const eveNow = await call<User>("GET", `/v2/users/${ids.eve}`, { token: root });
    expect(eveNow.body.disabled).toBe(false);
    expect(await works(made.body.token)).toBe(200);

    const res = await disable(ids.eve!, { hand_tokens_to: ids.sam });
    expect(res.status).toBe(200);
    expect(await works(made.body.token)).toBe(200);
    const after = await call<ApiToken>("GET", `/v2/tokens/${made.body.id}`, { token: root });
    expect(after.body.owner_user_id).toBe(ids.sam);
    expect(after.body.revoked_at).toBeNull();
    const audit = await call<AuditPage>("GET", "/v2/audit?action=token.hand_over", { token: root });
    expect(audit.body.items.map((e) => e.entity_id)).toEqual([made.body.id]);

    // Now sam answers for it: disabling sam revokes it.
    expect((await disable(ids.sam!)).status).toBe(200);
    expect(await works(made.body.token)).toBe(401);
  });
});
