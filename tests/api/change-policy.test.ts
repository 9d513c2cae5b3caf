// The approval policy (four eyes): a protected scope refuses direct writes (403, nothing written), dry runs and
// previews still answer, a domain's policy overrides its client's, and an all-clients admin's bypass is audited
// and flagged on the revision.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, DOMAIN_DEFAULT, SEED_PUT, token } from "../helpers/api";
import { CLIENT, DOMAIN, expectError, resetDemo, service, V2 } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

const POLICY = { change_policy: { required_approvals: 1 } };

describe.each(DRIVERS)("change policy on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let editor: string;
  let limitedAdmin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
    editor = await token({
      sub: "editor",
      scopes: ["assignments:write", "services:write", "assignments:read", "services:read"],
      clients: ["client-1"],
    });
    limitedAdmin = await token({ sub: "limited-admin", scopes: ["admin"], clients: ["client-1"] });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const revisionCount = async () =>
    (
      await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from assignments where client_id = 'client-1'`,
      )
    )[0]!.n;

  it("PATCH client sets the policy; the client and its domains show it", async () => {
    const patched = await call("PATCH", CLIENT, { token: admin, body: POLICY });
    expect(patched.status).toBe(200);
    expect(patched.body.change_policy).toEqual({
      required_approvals: 1,
      allow_self_approval: false,
    });
    const domain = await call("GET", DOMAIN, { token: admin });
    expect(domain.body.change_policy).toBeNull();
    const bad = await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 6 } },
    });
    expectError(bad, 400);
    const byEditor = await call("PATCH", CLIENT, { token: editor, body: POLICY });
    expectError(byEditor, 403);
  });

  it("a direct PUT, POST or service PATCH on a protected scope is 403 naming the route, and writes nothing", async () => {
    await call("PATCH", CLIENT, { token: admin, body: POLICY });
    const before = await revisionCount();
    const put = await call("PUT", DOMAIN_DEFAULT, { token: editor, body: V2 });
    expectError(put, 403, /change request \(POST \/v2\/clients\/client-1\/change-requests\)/);
    const seed = await call("PUT", SEED_PUT, { token: admin, body: V2 });
    expectError(seed, 403, /requires 1 approval/);
    const patch = await call("PATCH", service("svc-001"), {
      token: editor,
      body: { provided_features: { route: "route-a" } },
    });
    expectError(patch, 403, /change-requests/);
    const created = await call("POST", `${DOMAIN}/services`, {
      token: editor,
      body: { service_id: "svc-new" },
    });
    expectError(created, 403);
    expect(await revisionCount()).toBe(before);
    const svc = await call("GET", service("svc-001"), { token: admin });
    expect(svc.body.provided_features).not.toHaveProperty("route");
  });

  it("dry runs and previews still answer on a protected scope", async () => {
    await call("PATCH", CLIENT, { token: admin, body: POLICY });
    const dry = await call("PUT", `${SEED_PUT}?dry_run=true`, { token: editor, body: V2 });
    expect(dry.status).toBe(200);
    expect(dry.body.model_version).toBe("2.0.0");
    const preview = await call("POST", `${DOMAIN_DEFAULT}/preview`, { token: editor, body: V2 });
    expect(preview.status).toBe(200);
    expect(preview.body.compatible).toBe(false);
    const active = await call("GET", SEED_PUT, { token: admin });
    expect(active.body.model_version).not.toBe("2.0.0");
  });

  it("a domain's own policy overrides the client's, both ways", async () => {
    await call("PATCH", CLIENT, { token: admin, body: POLICY });
    const open = await call("PATCH", DOMAIN, {
      token: admin,
      body: { change_policy: { required_approvals: 0 } },
    });
    expect(open.body.change_policy).toEqual({ required_approvals: 0, allow_self_approval: false });
    expect((await call("PUT", SEED_PUT, { token: editor, body: V2 })).status).toBe(200);
    await call("PATCH", DOMAIN, { token: admin, body: { change_policy: null } });
    expectError(await call("PUT", SEED_PUT, { token: editor, body: V2 }), 403);
    await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 0 } },
    });
    await call("PATCH", DOMAIN, { token: admin, body: POLICY });
    expectError(await call("PUT", SEED_PUT, { token: editor, body: V2 }), 403);
  });

  it("an all-clients admin may bypass with a reason: audited, flagged on the revision", async () => {
    await call("PATCH", CLIENT, { token: admin, body: POLICY });
    const byEditor = await call("PUT", SEED_PUT, {
      token: editor,
      body: V2,
      headers: { "x-approval-bypass": "incident" },
    });
    expectError(byEditor, 403, /only for admins with access to every client/);
    const byLimited = await call("PUT", SEED_PUT, {
      token: limitedAdmin,
      body: V2,
      headers: { "x-approval-bypass": "incident" },
    });
    expectError(byLimited, 403);
    const blank = await call("PUT", SEED_PUT, {
      token: admin,
      body: V2,
      headers: { "x-approval-bypass": "  " },
    });
    expectError(blank, 400, /needs a reason/);

    const ok = await call("PUT", SEED_PUT, {
      token: admin,
      body: V2,
      headers: { "x-approval-bypass": "incident%20INC-42" },
    });
    expect(ok.status).toBe(200);
    const history = await call<{ items: { approval_bypass: string | null; revision: number }[] }>(
      "GET",
      `${SEED_PUT}/revisions`,
      { token: admin },
    );
    expect(history.body.items[0]).toMatchObject({ approval_bypass: "incident INC-42" });
    const patched = await call("PATCH", service("svc-001"), {
      token: admin,
      body: { name: "renamed" },
      headers: { "x-approval-bypass": "incident INC-42" },
    });
    expect(patched.status).toBe(200);
    const audit = await tdb.database.query<{ actor: string; after: Record<string, unknown> }>(
      `select actor, after from audit_log where action = 'change_policy.bypass' order by id`,
    );
    expect(audit.map((a) => a.after)).toEqual([
      {
        bypass_reason: "incident INC-42",
        write: "assignment client-1/south_australia/service-1/default",
        required_approvals: 1,
      },
      {
        bypass_reason: "incident INC-42",
        write: "service client-1/south_australia/svc-001",
        required_approvals: 1,
      },
    ]);
  });
});
