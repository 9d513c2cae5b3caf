// Change requests (four eyes) over the real route handlers, on both drivers: each anchor failure as a test
// (approvals that survive an edit, self-approval, writing around the request, an apply without approvals, a stale
// request applied), exactly-once apply under concurrent applies, tenant isolation, events on the change feed.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import { CLIENT, DOMAIN, expectError, resetDemo, service, UUID, V2 } from "../helpers/demo";
import {
  activeNotLatest,
  createTestDatabase,
  DRIVERS,
  type TestDatabase,
} from "../helpers/test-database";

const REQUESTS = `${CLIENT}/change-requests`;
const FIXES = [
  { service_id: "svc-001", static_features: { route: "route-a" } },
  { service_id: "svc-003", static_features: { route: "route-o" } },
  { service_id: "svc-006", static_features: { route: "route-p", night_service: true } },
];
const MOVE = {
  domain_id: "south_australia",
  assignment_key: "default",
  body: { ...V2, service_updates: FIXES },
};
const OPEN = { title: "Move South Australia to 2.0.0", changes: [MOVE] };

type Impact = {
  base_assignment_id: string | null;
  moves: {
    from: { model_version: string } | null;
    to: { model_version: string } | null;
    service_ids: string[];
  }[];
  blocking_services: { service_id: string }[];
  contract_diff: { breaking: boolean; changes: { key: string }[] } | null;
  service_updates: { service_id: string }[];
  refusal: unknown;
  unchanged: boolean;
};
type Request = {
  id: string;
  number: number;
  status: string;
  author: string;
  impact_hash: string;
  approvals: number;
  required_approvals: number;
  blocked: boolean;
  status_reason: string | null;
  approved_impact: Impact[] | null;
  changes: { if_match: string | null; impact: Impact }[];
  reviews: { reviewer: string; decision: string; counts: boolean; comment: string | null }[];
};

describe.each(DRIVERS)("change requests on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let alice: string;
  let bob: string;
  let carol: string;
  let viewer: string;
  let otherClient: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
    const editor = (sub: string, clients: string[] = ["client-1"]) =>
      token({
        sub,
        scopes: ["assignments:read", "assignments:write", "services:read", "services:write"],
        clients,
      });
    alice = await editor("alice");
    bob = await editor("bob");
    carol = await editor("carol");
    otherClient = await editor("mallory", ["client-2"]);
    viewer = await token({ sub: "viewer", scopes: ["assignments:read"], clients: ["client-1"] });
  });
  afterAll(async () => tdb.drop());
  // Whatever a test wrote, each key's active revision is its latest (the context read relies on it, decision 130).
  afterEach(async () => expect(await activeNotLatest(tdb.database)).toEqual([]));
  beforeEach(async () => {
    await resetDemo(tdb);
    await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 1 } },
    });
  });

  const open = async (body: unknown = OPEN, as = alice) => {
    const res = await call<Request>("POST", REQUESTS, { token: as, body });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const one = (id: string) => `${REQUESTS}/${id}`;
  const review = (
    r: Pick<Request, "id" | "impact_hash">,
    as: string,
    decision = "approve",
    comment?: string,
  ) =>
    call<Request>("POST", `${one(r.id)}/reviews`, {
      token: as,
      body: { decision, impact_hash: r.impact_hash, ...(comment ? { comment } : {}) },
    });
  const apply = (id: string, as = alice, headers: Record<string, string> = {}) =>
    call<Request>("POST", `${one(id)}/apply`, { token: as, headers });
  const defaultVersion = async () =>
    (await call<{ model_version: string }>("GET", DOMAIN_DEFAULT, { token: admin })).body
      .model_version;
  const revisionCount = async () =>
    (
      await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from assignments where client_id = 'client-1'`,
      )
    )[0]!.n;

  it("opens a request with its impact: services that move, the contract diff, the patches, a hash; numbered per client", async () => {
    const r = await open();
    // The demo data's Western Australia request is #1 on client-1.
    expect(r).toMatchObject({
      number: 2,
      status: "open",
      author: "alice",
      required_approvals: 1,
      approvals: 0,
      blocked: false,
    });
    expect(r.id).toMatch(UUID);
    expect(r.impact_hash).toMatch(/^[0-9a-f]{64}$/);
    const impact = r.changes[0]!.impact;
    expect(impact.moves).toHaveLength(1);
    expect(impact.moves[0]).toMatchObject({
      from: { model_version: "1.0.0" },
      to: { model_version: "2.0.0" },
    });
    // svc-002 has its own assignment; svc-009 departed: neither moves.
    expect(impact.moves[0]!.service_ids).toEqual(
      expect.arrayContaining(["service-1", "svc-001", "svc-003", "svc-004", "svc-006"]),
    );
    expect(impact.moves[0]!.service_ids).not.toContain("svc-002");
    expect(impact.contract_diff?.changes.map((c) => c.key)).toContain("route");
    expect(impact.service_updates.map((u) => u.service_id)).toEqual([
      "svc-001",
      "svc-003",
      "svc-006",
    ]);
    expect(r.changes[0]!.if_match).toBe(impact.base_assignment_id);
    expect((await open()).number).toBe(3);
    // Nothing written by opening.
    expect(await defaultVersion()).toBe("1.0.0");
    const got = await call<Request>("GET", one(r.id), { token: viewer });
    expect(got.status).toBe(200);
    expect(got.body.impact_hash).toBe(r.impact_hash);
  });

  it("refuses what a PUT would refuse, named, and bodies out of bounds", async () => {
    expectError(
      await call("POST", REQUESTS, { token: alice, body: { title: "x", changes: [] } }),
      400,
    );
    const many = Array.from({ length: 201 }, (_, i) => ({ ...MOVE, assignment_key: `k${i}` }));
    expectError(
      await call("POST", REQUESTS, { token: alice, body: { title: "x", changes: many } }),
      400,
      /200/,
    );
    expectError(
      await call("POST", REQUESTS, { token: alice, body: { title: "x", changes: [MOVE, MOVE] } }),
      400,
      /more than once/,
    );
    expectError(
      await call("POST", REQUESTS, {
        token: alice,
        body: { title: "x", changes: [{ ...MOVE, domain_id: "nowhere" }] },
      }),
      404,
      /changes\[0\].*Domain "nowhere"/,
    );
    expectError(
      await call("POST", REQUESTS, {
        token: alice,
        body: {
          title: "x",
          changes: [{ ...MOVE, if_match: '"00000000-0000-4000-8000-000000000000"' }],
        },
      }),
      412,
    );
    expectError(await call("POST", REQUESTS, { token: viewer, body: OPEN }), 403);
  });

  it("the author can't approve their own request; another person's approval makes it approved; the author applies once", async () => {
    const r = await open();
    expectError(await review(r, alice), 403, /someone else must approve/);
    const approved = await review(r, bob, "approve", "looks right");
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", approvals: 1 });
    const before = await revisionCount();
    const applied = await apply(r.id);
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body).toMatchObject({ status: "applied" });
    expect(await defaultVersion()).toBe("2.0.0");
    expect(await revisionCount()).toBe(before + 1);
    const history = await call<{
      items: {
        change_request_id: string | null;
        change_reason: string | null;
        service_changes: unknown[];
      }[];
    }>("GET", `${DOMAIN_DEFAULT}/revisions`, { token: admin });
    expect(history.body.items[0]).toMatchObject({
      change_request_id: r.id,
      change_reason: "Change request #2: Move South Australia to 2.0.0",
    });
    expect(history.body.items[0]!.service_changes).toHaveLength(3);
    const svc = await call<{ provided_features: Record<string, unknown> }>(
      "GET",
      service("svc-001"),
      { token: admin },
    );
    expect(svc.body.provided_features.route).toBe("route-a");
    expectError(await apply(r.id), 409, /already applied/);
    expect(await revisionCount()).toBe(before + 1);
  });

  it("self-approval counts only where the policy allows it", async () => {
    await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 1, allow_self_approval: true } },
    });
    const r = await open();
    const res = await review(r, alice);
    expect(res.body).toMatchObject({ status: "approved", approvals: 1 });
  });

  it("an edit voids every approval: the request is open again and can't be applied", async () => {
    const r = await open();
    await review(r, bob);
    const edited = await call<Request>("PATCH", one(r.id), {
      token: alice,
      body: { changes: [{ ...MOVE, body: { ...MOVE.body, metadata: { note: "edited" } } }] },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ status: "open", approvals: 0 });
    expect(edited.body.impact_hash).not.toBe(r.impact_hash);
    expect(edited.body.reviews).toMatchObject([
      { reviewer: "bob", decision: "approve", counts: false },
    ]);
    expectError(await apply(r.id), 409, /open: only an approved request/);
    // Bob's old approval was of the impact before the edit: approving that hash again is refused.
    expectError(await review(r, bob), 409, /impact .* changed since you read it/);
    expectError(
      await call("PATCH", one(r.id), { token: bob, body: { title: "mine now" } }),
      403,
      /Only the author/,
    );
    const again = await review(edited.body, bob);
    expect(again.body).toMatchObject({ status: "approved", approvals: 1 });
  });

  it("a reject blocks until the author edits", async () => {
    await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 1 } },
    });
    const r = await open();
    expectError(await review(r, bob, "reject"), 400, /needs a comment/);
    const rejected = await review(r, bob, "reject", "svc-006 is not a night service");
    expect(rejected.body.status).toBe("rejected");
    expectError(await review(r, carol), 409, /rejected/);
    expectError(await apply(r.id), 409);
    const edited = await call<Request>("PATCH", one(r.id), {
      token: alice,
      body: { title: "Fixed" },
    });
    expect(edited.body.status).toBe("open");
    expect((await review(edited.body, carol)).body.status).toBe("approved");
  });

  it("there is no way to apply without the required approvals", async () => {
    await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 2 } },
    });
    const r = await open();
    expectError(await apply(r.id), 409);
    expectError(await apply(r.id, admin, { "x-approval-bypass": "urgent" }), 409);
    expectError(await call("POST", `${one(r.id)}/apply?dry_run=true`, { token: alice }), 409);
    await review(r, bob);
    const oneOfTwo = await call<Request>("GET", one(r.id), { token: alice });
    expect(oneOfTwo.body).toMatchObject({ status: "open", approvals: 1 });
    expectError(await apply(r.id), 409);
    // The policy raised after approval: the apply asks for the new number.
    await review(r, carol);
    await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 3 } },
    });
    expectError(await apply(r.id), 409, /2 of the 3 approvals/);
    expect(await defaultVersion()).toBe("1.0.0");
  });

  it("a write after approval makes the request stale: nothing written, the change shown, approval needed again", async () => {
    const r = await open();
    await review(r, bob);
    // Someone writes the key after the approval (an admin's audited bypass).
    const direct = await call("PUT", DOMAIN_DEFAULT, {
      token: admin,
      body: { ...V2, service_updates: FIXES, metadata: { hotfix: true } },
      headers: { "x-approval-bypass": "incident" },
    });
    expect(direct.status).toBe(200);
    const before = await revisionCount();
    const stale = await apply(r.id);
    expectError(stale, 409, /stale.*active revision changed.*nothing was written/);
    expect(await revisionCount()).toBe(before);
    const got = await call<Request>("GET", one(r.id), { token: alice });
    expect(got.body).toMatchObject({ status: "stale", approvals: 0 });
    expect(got.body.status_reason).toMatch(/active revision changed/);
    expect(got.body.approved_impact![0]!.moves[0]!.from).toMatchObject({ model_version: "1.0.0" });
    expect(got.body.changes[0]!.impact.moves).toEqual([]);
    expect(got.body.impact_hash).not.toBe(r.impact_hash);
    expectError(await apply(r.id), 409, /stale/);
    // Approved again as it is now, it applies.
    expect((await review(got.body, bob)).body.status).toBe("approved");
    expect((await apply(r.id)).status).toBe(200);
  });

  it("a service's features changing underneath makes it stale too", async () => {
    const r = await open();
    await review(r, bob);
    const patched = await call("PATCH", service("svc-004"), {
      token: admin,
      body: { provided_features: { route: null } },
      headers: { "x-approval-bypass": "incident" },
    });
    expect(patched.status).toBe(200);
    const res = await apply(r.id);
    expectError(res, 409, /blocking services changed/);
    const got = await call<Request>("GET", one(r.id), { token: alice });
    expect(got.body.changes[0]!.impact.blocking_services.map((b) => b.service_id)).toEqual([
      "svc-004",
    ]);
    expect(got.body.blocked).toBe(true);
  });

  it("a request with blocking services can be opened and reviewed, not applied", async () => {
    const r = await open({ title: "No fixes", changes: [{ ...MOVE, body: V2 }] });
    expect(r.blocked).toBe(true);
    expect(r.changes[0]!.impact.blocking_services.map((b) => b.service_id)).toEqual([
      "svc-001",
      "svc-003",
      "svc-006",
    ]);
    expect((await review(r, bob)).body.status).toBe("approved");
    const res = await call<{ blocking_services: unknown[] }>("POST", `${one(r.id)}/apply`, {
      token: alice,
    });
    expectError(res, 422, /services block it/);
    expect(res.body.blocking_services).toHaveLength(3);
    expect((await call<Request>("GET", one(r.id), { token: alice })).body.status).toBe("approved");
    expect(await defaultVersion()).toBe("1.0.0");
  });

  it("review with an impact hash that is not the current one is 409; comments need text", async () => {
    const r = await open();
    const res = await call("POST", `${one(r.id)}/reviews`, {
      token: bob,
      body: { decision: "approve", impact_hash: "0".repeat(64) },
    });
    expectError(res, 409, /changed since you read it/);
    expectError(await review(r, bob, "comment"), 400);
    const commented = await review(r, alice, "comment", "ready when you are");
    expect(commented.body.reviews).toMatchObject([{ decision: "comment", counts: false }]);
  });

  it("needs_review_by=me lists what awaits the caller", async () => {
    const r = await open();
    // South Australia's only: the demo data's Western Australia request (#1) awaits every client-1 editor too.
    const queue = (as: string) =>
      call<{ items: { id: string }[] }>(
        "GET",
        `${REQUESTS}?needs_review_by=me&domain_id=south_australia`,
        { token: as },
      );
    const all = await call<{ items: { number: number }[] }>(
      "GET",
      `${REQUESTS}?needs_review_by=me`,
      { token: bob },
    );
    expect(all.body.items.map((i) => i.number).sort()).toEqual([1, r.number]);
    expect((await queue(bob)).body.items.map((i) => i.id)).toEqual([r.id]);
    expect((await queue(alice)).body.items).toEqual([]);
    expect((await queue(viewer)).body.items).toEqual([]);
    await review(r, bob);
    expect((await queue(bob)).body.items).toEqual([]);
    const byStatus = await call<{ items: { id: string; change_count: number }[] }>(
      "GET",
      `${REQUESTS}?status=approved&domain_id=south_australia&author=alice`,
      { token: viewer },
    );
    expect(byStatus.body.items).toMatchObject([{ id: r.id, change_count: 1 }]);
    const none = await call<{ items: unknown[] }>("GET", `${REQUESTS}?domain_id=victoria`, {
      token: viewer,
    });
    expect(none.body.items).toEqual([]);
  });

  it("withdraw: the author or an admin; a withdrawn request can't be applied", async () => {
    const r = await open();
    expectError(await call("POST", `${one(r.id)}/withdraw`, { token: bob }), 403);
    const w = await call<Request>("POST", `${one(r.id)}/withdraw`, { token: alice });
    expect(w.body.status).toBe("withdrawn");
    expectError(await apply(r.id), 409);
  });

  it("another client's people and tokens can't see, review or apply a request", async () => {
    const r = await open();
    await review(r, bob);
    expectError(await call("GET", one(r.id), { token: otherClient }), 403);
    expectError(await call("GET", REQUESTS, { token: otherClient }), 403);
    expectError(await review(r, otherClient), 403);
    expectError(await apply(r.id, otherClient), 403);
    // Through their own client's path, the request does not exist.
    expectError(
      await call("GET", `/v2/clients/client-2/change-requests/${r.id}`, { token: otherClient }),
      404,
    );
    expectError(
      await call("POST", `/v2/clients/client-2/change-requests/${r.id}/apply`, {
        token: otherClient,
      }),
      404,
    );
    expect(await defaultVersion()).toBe("1.0.0");
  });

  it("events go on the domain's change feed; revisions and audit entries link the request", async () => {
    const r = await open();
    await review(r, bob);
    await apply(r.id);
    const feed = await call<{
      items: { kind: string; action: string; change_request_id?: string; assignment_id?: string }[];
    }>("GET", `${DOMAIN}/changes`, { token: admin });
    const requestEvents = feed.body.items.filter((i) => i.kind === "change_request");
    expect(requestEvents.map((e) => e.action)).toEqual([
      "opened",
      "reviewed",
      "approved",
      "applied",
    ]);
    expect(requestEvents.every((e) => e.change_request_id === r.id)).toBe(true);
    expect(feed.body.items.filter((i) => i.kind === "assignment").map((i) => i.action)).toEqual([
      "upsert",
    ]);
    const audit = await tdb.database.query<{ action: string; reason: string | null }>(
      `select action, reason from audit_log where client_id = 'client-1' and action like 'change_request.%' order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      "change_request.opened",
      "change_request.reviewed",
      "change_request.approved",
      "change_request.applied",
    ]);
    const webhook = await call("POST", `${CLIENT}/webhooks`, {
      token: admin,
      body: { url: "https://example.com/hook", events: ["change_request"] },
    });
    expect([201, 422]).toContain(webhook.status);
  });

  it("exactly once: 20 concurrent applies give one success and 19 × 409, and one set of revisions", async () => {
    const r = await open();
    await review(r, bob);
    const before = await revisionCount();
    const results = await Promise.all(Array.from({ length: 20 }, () => apply(r.id)));
    expect(results.map((x) => x.status).sort()).toEqual([200, ...Array(19).fill(409)]);
    expect(await revisionCount()).toBe(before + 1);
    const linked = await tdb.database.query<{ n: number }>(
      `select count(*)::int as n from assignments where change_request_id = $1`,
      [r.id],
    );
    expect(linked[0]!.n).toBe(1);
  });

  it("dry runs write nothing: open, review and apply", async () => {
    const dry = await call<Request>("POST", `${REQUESTS}?dry_run=true`, {
      token: alice,
      body: OPEN,
    });
    expect(dry.status).toBe(201);
    expect(
      (
        await call<{ items: unknown[] }>("GET", `${REQUESTS}?domain_id=south_australia`, {
          token: alice,
        })
      ).body.items,
    ).toEqual([]);
    const r = await open();
    await review(r, bob);
    const dryApply = await call<Request>("POST", `${one(r.id)}/apply?dry_run=true`, {
      token: alice,
    });
    expect(dryApply.body.status).toBe("applied");
    expect(await defaultVersion()).toBe("1.0.0");
    expect((await call<Request>("GET", one(r.id), { token: alice })).body.status).toBe("approved");
  });
});
