// Scheduled change requests over the real route handlers, on both drivers: time is moved with the server's clock
// (lib/server/clock.ts), the scheduler's cycle is run by the test. A request applies once at its time and not
// before; one whose impact changed meanwhile fails with the reason and writes nothing; effective reads and the
// change feed announce the upcoming change and drop it once it applied; ETags follow.
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { advanceClock, now, resetClock } from "@/lib/server/clock";
import { Scheduler } from "@/lib/server/scheduler/scheduler";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import { CLIENT, DOMAIN, expectError, resetDemo, V1, V2 } from "../helpers/demo";
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
const HOUR = 3_600_000;

type Request = {
  id: string;
  number: number;
  status: string;
  impact_hash: string;
  apply_at: string | null;
  status_reason: string | null;
  applied_by: string | null;
  changes: { impact: { moves: { to: unknown; service_ids: string[] }[] } }[];
};
type Upcoming = {
  model_id: string;
  model_version: string;
  apply_at: string;
  change_request_id: string;
};
type Effective = { model_version: string; upcoming?: Upcoming };
type DomainEffective = {
  items: { service_id: string; assignment: { model_version: string }; upcoming?: Upcoming }[];
};

describe.each(DRIVERS)("scheduled change requests on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let alice: string;
  let bob: string;
  let scheduler: Scheduler;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
    const editor = (sub: string) =>
      token({
        sub,
        scopes: ["assignments:read", "assignments:write", "services:read", "services:write"],
        clients: ["client-1"],
      });
    alice = await editor("alice");
    bob = await editor("bob");
  });
  afterAll(async () => tdb.drop());
  // Whatever a test wrote, each key's active revision is its latest (the context read relies on it, decision 130).
  afterEach(async () => expect(await activeNotLatest(tdb.database)).toEqual([]));
  beforeEach(async () => {
    resetClock();
    await resetDemo(tdb);
    await call("PATCH", CLIENT, {
      token: admin,
      body: { change_policy: { required_approvals: 1 } },
    });
    // Not started: the test runs its cycles, so nothing happens behind its back.
    scheduler = new Scheduler(tdb.database);
  });
  afterEach(() => resetClock());

  const inAnHour = () => new Date(now().getTime() + HOUR).toISOString();
  const open = async (body: unknown) => {
    const res = await call<Request>("POST", REQUESTS, { token: alice, body });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const get = async (id: string) =>
    (await call<Request>("GET", `${REQUESTS}/${id}`, { token: alice })).body;
  const approve = async (r: Request) => {
    const res = await call<Request>("POST", `${REQUESTS}/${r.id}/reviews`, {
      token: bob,
      body: { decision: "approve", impact_hash: r.impact_hash },
    });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const scheduled = async () => {
    const r = await open({ title: "Tonight", apply_at: inAnHour(), changes: [MOVE] });
    return approve(r);
  };
  const defaultVersion = async () =>
    (await call<{ model_version: string }>("GET", DOMAIN_DEFAULT, { token: admin })).body
      .model_version;
  const serviceEffective = (id: string) =>
    call<Effective>("GET", `${DOMAIN}/service/${id}/assignments/default/effective`, {
      token: admin,
    });
  const domainEffective = () =>
    call<DomainEffective>("GET", `${DOMAIN}/assignments/default/effective?limit=10000`, {
      token: admin,
    });
  const revisionCount = async () =>
    (
      await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from assignments where client_id = 'client-1'`,
      )
    )[0]!.n;

  it("applies an approved request at its time, once, and not before", async () => {
    const r = await scheduled();
    expect(r.status).toBe("approved");
    expect(await scheduler.cycle()).toBe(0);
    advanceClock(HOUR - 60_000);
    expect(await scheduler.cycle()).toBe(0);
    expect(await defaultVersion()).toBe("1.0.0");

    advanceClock(61_000);
    expect(await scheduler.cycle()).toBe(1);
    const applied = await get(r.id);
    expect(applied).toMatchObject({ status: "applied", applied_by: "scheduler" });
    expect(await defaultVersion()).toBe("2.0.0");
    const revisions = await revisionCount();
    // Once: later cycles find nothing, and the apply by hand is refused.
    expect(await scheduler.cycle()).toBe(0);
    expect(await revisionCount()).toBe(revisions);
    expectError(
      await call("POST", `${REQUESTS}/${r.id}/apply`, { token: alice }),
      409,
      /already applied/,
    );
    // History says who and why: the revision carries the request.
    const [rev] = await tdb.database.query<{ change_request_id: string; actor: string }>(
      `select change_request_id, created_by as actor from assignments where client_id = 'client-1' and scope = '' and status = 'active' and assignment_key = 'default'`,
    );
    expect(rev).toMatchObject({ change_request_id: r.id, actor: "scheduler" });
  });

  // PostgreSQL only: PGlite is one connection in one process, so no second transaction can hold the lock.
  if (driver === "postgres")
    it("a step in progress elsewhere is skipped, not waited for; if that instance dies, the step is taken over", async () => {
      const r = await scheduled();
      advanceClock(HOUR + 1000);
      // Another instance has claimed the request and is mid-step: its transaction holds the row lock.
      const other = new pg.Client({ connectionString: tdb.url });
      await other.connect();
      try {
        await other.query("begin");
        const claimed = await other.query(
          `select id from change_requests where id = $1 for update skip locked`,
          [r.id],
        );
        expect(claimed.rowCount).toBe(1);
        // This instance skips it (SKIP LOCKED: no wait, no second apply).
        expect(await scheduler.cycle()).toBe(0);
        expect((await get(r.id)).status).toBe("approved");
      } finally {
        // The other instance is killed: its connection goes, its transaction rolls back, nothing was written.
        await other.end();
      }
      expect(await scheduler.cycle()).toBe(1);
      expect((await get(r.id)).status).toBe("applied");
      expect(await defaultVersion()).toBe("2.0.0");
    });

  it("an open request waits for its approval; approved after its time, it applies at once", async () => {
    const r = await open({ title: "Tonight", apply_at: inAnHour(), changes: [MOVE] });
    advanceClock(2 * HOUR);
    expect(await scheduler.cycle()).toBe(0);
    expect((await get(r.id)).status).toBe("open");
    await approve(r);
    expect(await scheduler.cycle()).toBe(1);
    expect((await get(r.id)).status).toBe("applied");
  });

  it("refuses apply_at in the past; PATCH moves the time", async () => {
    const past = new Date(now().getTime() - 1000).toISOString();
    expectError(
      await call("POST", REQUESTS, {
        token: alice,
        body: { title: "x", apply_at: past, changes: [MOVE] },
      }),
      400,
      /in the past/,
    );
    const r = await scheduled();
    const later = new Date(now().getTime() + 3 * HOUR).toISOString();
    const edited = await call<Request>("PATCH", `${REQUESTS}/${r.id}`, {
      token: alice,
      body: { apply_at: later },
    });
    expect(edited.status, edited.text).toBe(200);
    // An edit voids the approval: approved again, it applies at the new time.
    await approve(edited.body);
    advanceClock(2 * HOUR);
    expect(await scheduler.cycle()).toBe(0);
    advanceClock(HOUR + 1000);
    expect(await scheduler.cycle()).toBe(1);
    expect((await get(r.id)).status).toBe("applied");
  });

  it("fails with the reason and writes nothing when its impact no longer holds at its time", async () => {
    const r = await scheduled();
    // Someone writes the key around the request (an admin's bypass): the approved base revision is gone.
    const put = await call("PUT", DOMAIN_DEFAULT, {
      token: admin,
      headers: { "x-approval-bypass": "incident" },
      body: { ...V1, metadata: { hotfix: true } },
    });
    expect(put.status, put.text).toBe(200);
    const revisions = await revisionCount();
    const services = await tdb.database.query(
      `select id, provided_features from services where client_id = 'client-1' order by id`,
    );
    advanceClock(HOUR + 1000);
    expect(await scheduler.cycle()).toBe(1);
    const failed = await get(r.id);
    expect(failed.status).toBe("failed");
    expect(failed.status_reason).toMatch(/differed from the approved one/);
    expect(failed.status_reason).toMatch(/active revision changed/);
    expect(await revisionCount()).toBe(revisions);
    expect(
      await tdb.database.query(
        `select id, provided_features from services where client_id = 'client-1' order by id`,
      ),
    ).toEqual(services);
    expect(await defaultVersion()).toBe("1.0.0");
    // The event went out on the feed (and so to webhooks).
    const feed = await call<{
      items: { kind: string; action: string; change_request_id?: string }[];
    }>("GET", `${DOMAIN}/changes?limit=1000`, { token: admin });
    const last = feed.body.items.filter((i) => i.kind === "change_request").at(-1);
    expect(last).toMatchObject({ action: "failed", change_request_id: r.id });
    expect(await scheduler.cycle()).toBe(0);
  });

  it("fails when services block it at its time", async () => {
    // After the approval, a service loses a feature the new version requires: it would block the change.
    const r = await scheduled();
    const patch = await call("PATCH", `${DOMAIN}/service/svc-005`, {
      token: admin,
      headers: { "x-approval-bypass": "incident" },
      body: { provided_features: { route: null } },
    });
    expect(patch.status, patch.text).toBe(200);
    const revisions = await revisionCount();
    advanceClock(HOUR + 1000);
    expect(await scheduler.cycle()).toBe(1);
    const failed = await get(r.id);
    expect(failed.status).toBe("failed");
    expect(failed.status_reason).toMatch(/blocking services changed/);
    expect(await revisionCount()).toBe(revisions);
    expect(await defaultVersion()).toBe("1.0.0");
  });

  it("effective reads carry upcoming from approval until the apply; ETags change with it", async () => {
    const before = await serviceEffective("svc-001");
    expect(before.status, before.text).toBe(200);
    expect(before.body.upcoming).toBeUndefined();
    const beforeDomain = await domainEffective();
    expect(beforeDomain.body.items.every((i) => i.upcoming === undefined)).toBe(true);

    const r = await open({ title: "Tonight", apply_at: inAnHour(), changes: [MOVE] });
    // Open, not approved yet: nothing announced.
    expect((await serviceEffective("svc-001")).body.upcoming).toBeUndefined();
    const approved = await approve(r);
    const moved = approved.changes[0]!.impact.moves.flatMap((m) => m.service_ids);
    expect(moved).toContain("svc-001");

    const single = await serviceEffective("svc-001");
    expect(single.body).toMatchObject({
      model_version: "1.0.0",
      upcoming: {
        model_id: V2.model_id,
        model_version: "2.0.0",
        apply_at: approved.apply_at,
        change_request_id: r.id,
      },
    });
    expect(single.headers.get("etag")).not.toBe(before.headers.get("etag"));
    const whole = await domainEffective();
    const announced = whole.body.items.filter((i) => i.upcoming).map((i) => i.service_id);
    expect(announced.sort()).toEqual([...moved].sort());
    expect(whole.headers.get("etag")).not.toBe(beforeDomain.headers.get("etag"));
    // A conditional read with the old ETag is a 200 with the new answer, not a 304.
    const conditional = await call<Effective>(
      "GET",
      `${DOMAIN}/service/svc-001/assignments/default/effective`,
      { token: admin, headers: { "if-none-match": before.headers.get("etag")! } },
    );
    expect(conditional.status).toBe(200);
    expect(conditional.body.upcoming?.change_request_id).toBe(r.id);

    // On the change feed: one "scheduled" change with the key and what comes.
    const feed = await call<{
      items: { action: string; assignment_key?: string; upcoming?: Upcoming }[];
    }>("GET", `${DOMAIN}/changes?limit=1000`, { token: admin });
    const announcement = feed.body.items.find((i) => i.action === "scheduled");
    expect(announcement).toMatchObject({
      assignment_key: "default",
      upcoming: { model_version: "2.0.0", change_request_id: r.id, apply_at: approved.apply_at },
    });

    advanceClock(HOUR + 1000);
    expect(await scheduler.cycle()).toBe(1);
    const after = await serviceEffective("svc-001");
    expect(after.body.model_version).toBe("2.0.0");
    expect(after.body.upcoming).toBeUndefined();
    const wholeAfter = await domainEffective();
    expect(wholeAfter.body.items.every((i) => i.upcoming === undefined)).toBe(true);
    expect(
      wholeAfter.body.items.find((i) => i.service_id === "svc-001")?.assignment.model_version,
    ).toBe("2.0.0");
  });

  it("a withdrawn request is no longer announced nor applied", async () => {
    const r = await scheduled();
    expect((await serviceEffective("svc-001")).body.upcoming?.change_request_id).toBe(r.id);
    const w = await call("POST", `${REQUESTS}/${r.id}/withdraw`, { token: alice });
    expect(w.status, w.text).toBe(200);
    expect((await serviceEffective("svc-001")).body.upcoming).toBeUndefined();
    advanceClock(HOUR + 1000);
    expect(await scheduler.cycle()).toBe(0);
    expect(await defaultVersion()).toBe("1.0.0");
  });
});
