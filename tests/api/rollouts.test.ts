// Rollouts in waves over the real route handlers and the scheduler's ticker (called directly with the server's
// clock, moved with advanceClock): a three-wave rollout over the demo domain plus generated ones, gated on observed
// state; a failed report stops it; rollback restores every applied wave in one transaction; approvals hold;
// tenancy and validation answer clear 4xx.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { domains, services } from "@/db/schema";
import { advanceClock, now, resetClock } from "@/lib/server/clock";
import { tickRollouts } from "@/lib/server/rollouts/rollouts";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import { CLIENT, expectError, resetDemo, service, V1, V2 } from "../helpers/demo";
import {
  activeNotLatest,
  createTestDatabase,
  DRIVERS,
  type TestDatabase,
} from "../helpers/test-database";

const FIXES = [
  { domain_id: "south_australia", service_id: "svc-001", static_features: { route: "route-a" } },
  { domain_id: "south_australia", service_id: "svc-003", static_features: { route: "route-o" } },
  {
    domain_id: "south_australia",
    service_id: "svc-006",
    static_features: { route: "route-p", night_service: true },
  },
];
const GEN = ["gen-1", "gen-2", "gen-3"];
const target = (domain_id: string, client_id = "client-1") => ({ client_id, domain_id });
const defaultOf = (domain: string) => `${CLIENT}/domains/${domain}/assignments/default`;

type Wave = {
  position: number;
  name: string;
  status: string;
  status_reason: string | null;
  change_requests: { id: string; number: number; client_id: string }[];
  previous: { domain_id: string; assignment_id: string | null }[];
  promoted_by: string | null;
  sync: { total: number; synced: number; failed: number; synced_percent: number } | null;
};
type Rollout = {
  id: string;
  status: string;
  status_reason: string | null;
  current_wave: number | null;
  waves: Wave[];
  preview?: Preview;
};
type Preview = {
  blocked: boolean;
  waves: {
    position: number;
    affected_count: number;
    blocking_count: number;
    domains: {
      domain_id: string;
      affected_services: string[];
      blocking_services: { service_id: string; missing: string[] }[];
    }[];
  }[];
};

describe.each(DRIVERS)("rollouts on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let alice: string;
  let bob: string;
  let otherClient: string;
  let reporter: string;
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
    otherClient = await editor("mallory", ["client-2"]);
    reporter = await token({
      sub: "fleet",
      scopes: ["observations:write"],
      clients: ["client-1"],
    });
  });
  afterAll(async () => tdb.drop());
  afterEach(() => resetClock());
  // Whatever a test wrote, each key's active revision is its latest (the context read relies on it, decision 130).
  afterEach(async () => expect(await activeNotLatest(tdb.database)).toEqual([]));
  beforeEach(async () => {
    await resetDemo(tdb);
    // Generated domains beside the demo's: three services each, all on 1.0.0 through their domain default.
    await tdb.database.db
      .insert(domains)
      .values(GEN.map((id) => ({ clientId: "client-1", id, name: id, status: "active" as const })));
    await tdb.database.db.insert(services).values(
      GEN.flatMap((d) =>
        [1, 2, 3].map((n) => ({
          clientId: "client-1",
          domainId: d,
          id: `${d}-s${n}`,
          name: `${d} service ${n}`,
          providedFeatures: { route: `r-${n}`, mode: "bus", stops: 10 },
        })),
      ),
    );
    for (const d of GEN) {
      const res = await call("PUT", defaultOf(d), { token: admin, body: V1 });
      expect(res.status, res.text).toBe(200);
    }
  });

  const body = (over: Record<string, unknown> = {}) => ({
    name: "default to 2.0.0",
    assignment_key: "default",
    ...V2,
    waves: [
      { name: "canary", targets: [target("south_australia")], gate: { min_synced_percent: 100 } },
      { name: "early", targets: [target("gen-1"), target("gen-2")], gate: { wait_seconds: 60 } },
      { name: "rest", targets: [target("gen-3")], gate: { manual: true } },
    ],
    service_updates: FIXES,
    ...over,
  });
  const start = async (b: unknown = body(), as = admin) => {
    const res = await call<Rollout>("POST", "/v2/rollouts", { token: as, body: b });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const get = async (id: string, as = admin) =>
    (await call<Rollout>("GET", `/v2/rollouts/${id}`, { token: as })).body;
  const act = (id: string, action: string, as = admin) =>
    call<Rollout>("POST", `/v2/rollouts/${id}/${action}`, { token: as });
  const versionOf = async (domain: string) =>
    (await call<{ model_version: string }>("GET", defaultOf(domain), { token: admin })).body
      .model_version;
  const tick = () => tickRollouts(tdb.database, now());

  /** Reports what each service of the domains should run as loaded (or as given), through the batch route. */
  const reportDesired = async (
    domain: string,
    only?: (serviceId: string) => boolean,
    state: "loaded" | "failed" = "loaded",
  ) => {
    const status = await call<{
      items: {
        service_id: string;
        desired: {
          assignment_id: string;
          model_id: string;
          model_version: string;
          contract_hash: string;
        } | null;
      }[];
    }>("GET", `${defaultOf(domain)}/status`, { token: admin });
    const items = status.body.items
      .filter((i) => i.desired && (!only || only(i.service_id)))
      .map((i) => ({
        service_id: i.service_id,
        assignment_key: "default",
        assignment_id: i.desired!.assignment_id,
        model_id: i.desired!.model_id,
        model_version: i.desired!.model_version,
        contract_hash: i.desired!.contract_hash,
        state,
        ...(state === "failed" ? { message: "out of memory loading weights" } : {}),
      }));
    const res = await call("POST", `${CLIENT}/domains/${domain}/observations`, {
      token: reporter,
      body: { items },
    });
    expect(res.status, res.text).toBe(200);
    return items.map((i) => i.service_id);
  };

  it("the preview lists each wave's affected and blocking services; a blocked rollout can't start until fixed", async () => {
    // gen-3's second service lacks the route 2.0.0 requires: wave 3 blocks before wave 1 moves.
    await call("PATCH", `${CLIENT}/domains/gen-3/service/gen-3-s2`, {
      token: admin,
      body: { provided_features: { route: null } },
    });
    const preview = await call<Preview>("POST", "/v2/rollouts/preview", {
      token: admin,
      body: body(),
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.blocked).toBe(true);
    expect(preview.body.waves.map((w) => w.blocking_count)).toEqual([0, 0, 1]);
    expect(preview.body.waves[2]!.domains[0]!.blocking_services).toEqual([
      expect.objectContaining({ service_id: "gen-3-s2", missing: ["route"] }),
    ]);
    expect(preview.body.waves[1]!.affected_count).toBe(6);
    expect(preview.body.waves[0]!.domains[0]!.affected_services).toEqual(
      expect.arrayContaining(["service-1", "svc-001", "svc-003"]),
    );
    // Without the fixes, wave 1 blocks too.
    const unfixed = await call<Preview>("POST", "/v2/rollouts/preview", {
      token: admin,
      body: body({ service_updates: undefined }),
    });
    expect(unfixed.body.waves[0]!.domains[0]!.blocking_services.map((b) => b.service_id)).toEqual(
      expect.arrayContaining(["svc-001", "svc-003", "svc-006"]),
    );

    const refused = await call<{ preview: Preview }>("POST", "/v2/rollouts", {
      token: admin,
      body: body(),
    });
    expectError(refused, 422, /wave 3 \("rest"\): gen-3 \(gen-3-s2\)/);
    expect(refused.body.preview.blocked).toBe(true);
    const count = await tdb.database.query<{ n: number }>(
      `select count(*)::int as n from rollouts`,
    );
    expect(count[0]!.n).toBe(0);
    expect(await versionOf("south_australia")).toBe("1.0.0");

    await call("PATCH", `${CLIENT}/domains/gen-3/service/gen-3-s2`, {
      token: admin,
      body: { provided_features: { route: "r-2" } },
    });
    const r = await start();
    expect(r.preview?.blocked).toBe(false);
    expect(r.waves[0]!.status).toBe("applied");
  });

  it("three waves: each waits for its gate (synced share, time, a promotion); a failed report stops it; rollback restores every wave in one transaction", async () => {
    const before = new Map<string, string>();
    for (const d of ["south_australia", ...GEN])
      before.set(
        d,
        (await call<{ assignment_id: string }>("GET", defaultOf(d), { token: admin })).body
          .assignment_id,
      );

    const r = await start();
    expect(r).toMatchObject({ status: "running", current_wave: 1 });
    // Wave 1 applied at once (no approvals required), as a change request of client-1.
    expect(r.waves.map((w) => w.status)).toEqual(["applied", "pending", "pending"]);
    expect(r.waves[0]!.change_requests).toHaveLength(1);
    expect(r.waves[0]!.previous).toEqual([
      {
        client_id: "client-1",
        domain_id: "south_australia",
        assignment_id: before.get("south_australia"),
      },
    ]);
    expect(await versionOf("south_australia")).toBe("2.0.0");
    const written = await tdb.database.query<{ change_request_id: string }>(
      `select change_request_id from assignments where client_id = 'client-1' and domain_id = 'south_australia'
        and scope = '' and assignment_key = 'default' and status = 'active'`,
    );
    expect(written[0]!.change_request_id).toBe(r.waves[0]!.change_requests[0]!.id);
    expect(
      (
        await call<{ provided_features: Record<string, unknown> }>("GET", service("svc-001"), {
          token: admin,
        })
      ).body.provided_features.route,
    ).toBe("route-a");

    // Nobody reported yet: wave 2 waits.
    advanceClock(10_000);
    await tick();
    let now1 = await get(r.id);
    expect(now1.waves.map((w) => w.status)).toEqual(["applied", "pending", "pending"]);
    // Only what the demo had already reported synced (a service on its own assignment) counts.
    const synced0 = now1.waves[0]!.sync!.synced_percent;
    expect(synced0).toBeLessThan(20);
    expect(await versionOf("gen-1")).toBe("1.0.0");

    // Half the services report: still below 100 %.
    const some = await reportDesired("south_australia", (id) => id < "svc-004");
    expect(some.length).toBeGreaterThan(1);
    advanceClock(10_000);
    await tick();
    now1 = await get(r.id);
    expect(now1.waves[0]!.status).toBe("applied");
    expect(now1.waves[0]!.sync!.synced_percent).toBeGreaterThan(synced0);
    expect(now1.waves[0]!.sync!.synced_percent).toBeLessThan(100);

    // The rest report: wave 1's gate is met, wave 2 applies in the same tick.
    await reportDesired("south_australia", (id) => id >= "svc-004");
    advanceClock(10_000);
    expect(await tick()).toBeGreaterThanOrEqual(2);
    const two = await get(r.id);
    expect(two.waves.map((w) => w.status)).toEqual(["completed", "applied", "pending"]);
    expect(two.waves[0]!.sync!.synced_percent).toBe(100);
    expect(two.current_wave).toBe(2);
    expect(await versionOf("gen-1")).toBe("2.0.0");
    expect(await versionOf("gen-2")).toBe("2.0.0");
    expect(await versionOf("gen-3")).toBe("1.0.0");

    // Wave 2 waits 60 s; a failed report of one of its services stops the rollout, saying why.
    await reportDesired("gen-1", (id) => id === "gen-1-s2", "failed");
    advanceClock(30_000);
    await tick();
    expect((await get(r.id)).status).toBe("running");
    advanceClock(31_000);
    await tick();
    const stopped = await get(r.id);
    expect(stopped.status).toBe("stopped");
    expect(stopped.status_reason).toMatch(/Wave 2 \("early"\).*gen-1-s2 in gen-1.*out of memory/);
    expect(stopped.waves[1]!.status).toBe("failed");
    expect(await versionOf("gen-3")).toBe("1.0.0");
    // A stopped rollout is left alone by the scheduler.
    advanceClock(60_000);
    expect(await tick()).toBe(0);

    // Fixed: the service loads it; resume checks the gate again, and wave 3 applies.
    await reportDesired("gen-1");
    await reportDesired("gen-2");
    const resumed = await act(r.id, "resume");
    expect(resumed.status, resumed.text).toBe(200);
    // The gate holds now: wave 2 completes and wave 3 applies in the resume itself.
    expect(resumed.body.waves.map((w) => w.status)).toEqual(["completed", "completed", "applied"]);
    expect(await versionOf("gen-3")).toBe("2.0.0");
    // Manual gate: time alone does not pass it; a person's promotion does.
    advanceClock(3_600_000);
    await reportDesired("gen-3");
    await tick();
    expect((await get(r.id)).waves[2]!.status).toBe("applied");
    // Promoting a wave that is not the current one (a stale page, a second click) is refused.
    expectError(await act(r.id, "promote?wave=2", bob), 409, /at wave 3, not wave 2/);
    const promoted = await act(r.id, "promote?wave=3", bob);
    expect(promoted.status, promoted.text).toBe(200);
    expect(promoted.body).toMatchObject({ status: "completed", current_wave: null });
    expect(promoted.body.waves[2]).toMatchObject({ status: "completed", promoted_by: "bob" });

    // Rollback: every applied wave's previous revision is restored, in one transaction.
    const rolled = await act(r.id, "rollback");
    expect(rolled.status, rolled.text).toBe(200);
    expect(rolled.body.status).toBe("rolled_back");
    expect(rolled.body.waves.map((w) => w.status)).toEqual([
      "rolled_back",
      "rolled_back",
      "rolled_back",
    ]);
    for (const d of ["south_australia", ...GEN]) expect(await versionOf(d)).toBe("1.0.0");
    const history = await call<{
      items: { revision: number; model_version: string; restored_from_revision: number | null }[];
    }>("GET", `${DOMAIN_DEFAULT}/revisions`, { token: admin });
    expect(history.body.items.slice(0, 3)).toEqual([
      expect.objectContaining({ revision: 3, model_version: "1.0.0", restored_from_revision: 1 }),
      expect.objectContaining({ revision: 2, model_version: "2.0.0" }),
      expect.objectContaining({ revision: 1, model_version: "1.0.0" }),
    ]);
    // One transaction: every restored revision carries the same transaction time, with the rollback's audit entry.
    const restored = await tdb.database.query<{ domain_id: string; at: string }>(
      `select domain_id, created_at::text as at from assignments where restored_from_revision is not null
        and status = 'active' and scope = '' and assignment_key = 'default' order by domain_id`,
    );
    expect(restored.map((x) => x.domain_id)).toEqual([
      "gen-1",
      "gen-2",
      "gen-3",
      "south_australia",
    ]);
    expect(new Set(restored.map((x) => x.at)).size).toBe(1);
    const audit = await tdb.database.query<{ at: string; after: { restored: unknown[] } }>(
      `select at::text as at, after from audit_log where action = 'rollout.rolled_back'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.at).toBe(restored[0]!.at);
    expect(audit[0]!.after.restored).toHaveLength(4);

    // Events on the change feed, in order.
    const feed = await call<{ items: { kind: string; action: string; rollout_id?: string }[] }>(
      "GET",
      `${CLIENT}/domains/gen-1/changes?after=0&limit=1000`,
      { token: admin },
    );
    const events = feed.body.items.filter((i) => i.kind === "rollout");
    expect(events.every((e) => e.rollout_id === r.id)).toBe(true);
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "started",
        "wave_applied",
        "wave_completed",
        "stopped",
        "resumed",
        "promoted",
        "completed",
        "rolled_back",
      ]),
    );
    // Rolled back once: a second rollback is a 409.
    expectError(await act(r.id, "rollback"), 409, /rolled back already/);
  });

  it("with approvals required, a wave waits for its change request's approval, then applies", async () => {
    await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 1 } },
    });
    const r = await start(
      body({ waves: [{ name: "one", targets: [target("gen-1")], gate: {} }], service_updates: [] }),
      alice,
    );
    expect(r.waves[0]!.status).toBe("awaiting_approval");
    expect(await versionOf("gen-1")).toBe("1.0.0");
    expectError(await act(r.id, "promote", alice), 409, /approved/);
    advanceClock(10_000);
    await tick();
    expect((await get(r.id)).waves[0]!.status).toBe("awaiting_approval");
    const cr = r.waves[0]!.change_requests[0]!;
    const request = await call<{ impact_hash: string }>(
      "GET",
      `${CLIENT}/change-requests/${cr.id}`,
      { token: bob },
    );
    const review = await call("POST", `${CLIENT}/change-requests/${cr.id}/reviews`, {
      token: bob,
      body: { decision: "approve", impact_hash: request.body.impact_hash },
    });
    expect(review.status, review.text).toBe(200);
    advanceClock(10_000);
    await tick();
    expect(await versionOf("gen-1")).toBe("2.0.0");
    // The empty gate passes at the next look: the rollout completes.
    advanceClock(10_000);
    await tick();
    expect((await get(r.id)).status).toBe("completed");
  });

  it("a rejected change request stops the rollout with the reason; abort withdraws what is open", async () => {
    await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 1 } },
    });
    const r = await start(
      body({ waves: [{ name: "one", targets: [target("gen-1")] }], service_updates: [] }),
      alice,
    );
    const cr = r.waves[0]!.change_requests[0]!;
    const request = await call<{ impact_hash: string }>(
      "GET",
      `${CLIENT}/change-requests/${cr.id}`,
      {
        token: bob,
      },
    );
    await call("POST", `${CLIENT}/change-requests/${cr.id}/reviews`, {
      token: bob,
      body: { decision: "reject", comment: "not this week", impact_hash: request.body.impact_hash },
    });
    advanceClock(10_000);
    await tick();
    const stopped = await get(r.id);
    expect(stopped.status).toBe("stopped");
    expect(stopped.status_reason).toContain(
      `change request #${cr.number} of client "client-1" is rejected`,
    );
    const aborted = await act(r.id, "abort", alice);
    expect(aborted.status, aborted.text).toBe(200);
    expect(aborted.body.status).toBe("aborted");
    const after = await call<{ status: string }>("GET", `${CLIENT}/change-requests/${cr.id}`, {
      token: alice,
    });
    expect(after.body.status).toBe("withdrawn");
    expectError(await act(r.id, "rollback", alice), 409, /nothing to roll back/);
  });

  it("one step runs once: two tickers at the same time claim a due rollout once", async () => {
    const r = await start(
      body({
        waves: [
          { name: "one", targets: [target("gen-1")], gate: { wait_seconds: 5 } },
          { name: "two", targets: [target("gen-2")], gate: { manual: true } },
        ],
        service_updates: [],
      }),
    );
    expect(r.waves.map((w) => w.status)).toEqual(["applied", "pending"]);
    advanceClock(10_000);
    const at = now();
    const counts = await Promise.all([
      tickRollouts(tdb.database, at),
      tickRollouts(tdb.database, at),
    ]);
    // Completing wave 1, then opening and applying wave 2: two steps in all, whichever ticker ran them.
    expect(counts[0]! + counts[1]!).toBe(2);
    const done = await get(r.id);
    expect(done.waves.map((w) => w.status)).toEqual(["completed", "applied"]);
    // The waves' change requests (the demo data holds one more, western_australia's, not the rollout's).
    const opened = await tdb.database.query<{ n: number }>(
      `select count(*)::int as n from change_requests where domain_ids ?| array['gen-1', 'gen-2']`,
    );
    expect(opened[0]!.n).toBe(2);
    expect(await tickRollouts(tdb.database, at)).toBe(0);
  });

  it("pause keeps it still; resume moves on at once", async () => {
    const r = await start(
      body({
        waves: [
          { name: "one", targets: [target("gen-1")], gate: { wait_seconds: 30 } },
          { name: "two", targets: [target("gen-2")] },
        ],
        service_updates: [],
      }),
    );
    const paused = await act(r.id, "pause");
    expect(paused.body.status).toBe("paused");
    expectError(await act(r.id, "pause"), 409, /only a running rollout can be paused/);
    advanceClock(60_000);
    expect(await tick()).toBe(0);
    expect(await versionOf("gen-2")).toBe("1.0.0");
    const resumed = await act(r.id, "resume");
    // The gate was met while paused: resuming completes wave 1 and applies wave 2 (whose empty gate passes).
    expect(resumed.body.waves.map((w) => w.status)).toEqual(["completed", "completed"]);
    expect(resumed.body.status).toBe("completed");
    expect(await versionOf("gen-2")).toBe("2.0.0");
  });

  it("tenancy and validation: clear 4xx, nothing written", async () => {
    const r = await start(
      body({
        waves: [{ name: "one", targets: [target("gen-1")], gate: { manual: true } }],
        service_updates: [],
      }),
    );
    // Another client's caller: can't see it, can't act on it, can't start one on client-1.
    expectError(await call("GET", `/v2/rollouts/${r.id}`, { token: otherClient }), 404);
    expectError(await act(r.id, "rollback", otherClient), 404);
    const list = await call<{ items: { id: string }[] }>("GET", "/v2/rollouts", {
      token: otherClient,
    });
    expect(list.body.items).toEqual([]);
    expect(
      (
        await call<{ items: { id: string }[] }>("GET", "/v2/rollouts", { token: alice })
      ).body.items.map((i) => i.id),
    ).toEqual([r.id]);
    expectError(
      await call("POST", "/v2/rollouts", { token: otherClient, body: body() }),
      403,
      /client "client-1"/,
    );
    // Several clients need an all-clients caller.
    const two = body({
      waves: [{ name: "x", targets: [target("gen-2"), target("tasmania", "client-2")] }],
      service_updates: [],
    });
    expectError(await call("POST", "/v2/rollouts", { token: alice, body: two }), 403);
    // Validation.
    expectError(
      await call("POST", "/v2/rollouts", { token: admin, body: body({ waves: [] }) }),
      400,
      /at least one wave/,
    );
    expectError(
      await call("POST", "/v2/rollouts", {
        token: admin,
        body: body({
          waves: [
            { name: "a", targets: [target("gen-2")] },
            { name: "b", targets: [target("gen-2")] },
          ],
          service_updates: [],
        }),
      }),
      400,
      /already in wave 1/,
    );
    expectError(
      await call("POST", "/v2/rollouts", {
        token: admin,
        body: body({ waves: [{ name: "a", targets: [target("nowhere")] }], service_updates: [] }),
      }),
      404,
      /nowhere/,
    );
    expectError(
      await call("POST", "/v2/rollouts", {
        token: admin,
        body: body({ waves: [{ name: "a", targets: [target("victoria")] }], service_updates: [] }),
      }),
      422,
      /not active/,
    );
    expectError(
      await call("POST", "/v2/rollouts", {
        token: admin,
        body: body({
          model_version: "9.9.9",
          waves: [{ name: "a", targets: [target("gen-2")] }],
          service_updates: [],
        }),
      }),
      422,
      /9\.9\.9/,
    );
    expectError(
      await call("POST", "/v2/rollouts", {
        token: admin,
        body: body({ waves: [{ name: "a", targets: [target("gen-2")] }] }),
      }),
      422,
      /which no wave moves/,
    );
    expectError(await call("GET", "/v2/rollouts/not-a-uuid", { token: admin }), 400);
    expectError(
      await call("GET", "/v2/rollouts/00000000-0000-4000-8000-000000000000", { token: admin }),
      404,
    );
    // A dry run answers what would happen and writes nothing.
    const dry = await call<Rollout>("POST", "/v2/rollouts?dry_run=true", {
      token: admin,
      body: body({ waves: [{ name: "a", targets: [target("gen-2")] }], service_updates: [] }),
    });
    expect(dry.status, dry.text).toBe(201);
    // Its one wave applies and its empty gate passes: the answer is the completed rollout it would be.
    expect(dry.body).toMatchObject({ status: "completed" });
    expect(dry.body.waves[0]!.status).toBe("completed");
    expect(await versionOf("gen-2")).toBe("1.0.0");
    const count = await tdb.database.query<{ n: number }>(
      `select count(*)::int as n from rollouts`,
    );
    expect(count[0]!.n).toBe(1);
    // A viewer can read but not act.
    const viewer = await token({
      sub: "viewer",
      scopes: ["assignments:read"],
      clients: ["client-1"],
    });
    expect((await call("GET", `/v2/rollouts/${r.id}`, { token: viewer })).status).toBe(200);
    expectError(await act(r.id, "promote", viewer), 403);
  });
});
