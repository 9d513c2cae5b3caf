// Blocking services at scale: the domain default's write over 10,000 services, with 1,429 fixed by service_updates
// and the rest of the blocking ones pinned (pin_services) in the same write; a bad entry in either list refuses the
// whole write and names it; pins show in the answer, the preview, history and the services list, and archiving the
// pin's assignment unpins.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setDatabase } from "@/lib/server/database";
import { call, token } from "../helpers/api";
import { CLIENT, expectError, resetDemo, UUID, V1, V2 } from "../helpers/demo";
import { loggingDatabase } from "../helpers/statement-log";
import {
  activeNotLatest,
  createTestDatabase,
  DRIVERS,
  type TestDatabase,
} from "../helpers/test-database";

const DOMAIN = `${CLIENT}/domains/metro`;
const DEFAULT = `${DOMAIN}/assignments/default`;
const SERVICES = 10_000;

type Pinned = {
  service_id: string;
  assignment_id: string | null;
  model_id: string;
  model_version: string;
};
type Written = Record<string, unknown> & {
  assignment_id: string;
  model_version: string;
  pinned: Pinned[];
};
type Preview = {
  compatible: boolean;
  blocking_services: { service_id: string; missing: string[]; invalid: unknown[] }[];
  pinned: Pinned[];
  changes: { service_id: string }[];
};
type Revision = {
  assignment_id: string;
  revision: number;
  service_changes: { service_id: string }[];
  pinned_services: Pinned[];
};
type Page<T> = { items: T[]; next_cursor: string | null };
type EffectiveEntry = { source: string; model_version: string; pinned_by: string | null };
type ServiceItem = { service_id: string; effective: Record<string, EffectiveEntry> };

const id = (i: number) => `m-${String(i).padStart(5, "0")}`;
// 1,429 services lack `route` (every seventh); 500 more say night_service "yes" where 2.0.0 wants a boolean.
const lacksRoute = (i: number) => i % 7 === 0;
const badNight = (i: number) => i % 7 === 1 && i < 3_500;
const ALL = Array.from({ length: SERVICES }, (_, i) => i);
const MISSING_ROUTE = ALL.filter(lacksRoute).map(id);
const BAD_NIGHT = ALL.filter(badNight).map(id);
const FIXES = MISSING_ROUTE.map((service_id) => ({
  service_id,
  static_features: { route: `route-${service_id}` },
}));

/** The metro domain: 10,000 services (one statement, a test-only shortcut) and its default on 1.0.0. */
async function seedMetro(tdb: TestDatabase, admin: string): Promise<void> {
  await tdb.database.query(
    `insert into domains (client_id, id, name, status) values ('client-1', 'metro', 'Metro', 'active')`,
  );
  await tdb.database.query(
    `insert into services (client_id, domain_id, id, name, provided_features, status)
     select 'client-1', 'metro', 'm-' || lpad(i::text, 5, '0'), 'Metro ' || i,
       case when i % 7 = 0 then '{"mode": "bus"}'::jsonb
            when i % 7 = 1 and i < 3500 then jsonb_build_object('route', 'r-' || i, 'mode', 'bus', 'night_service', 'yes')
            else jsonb_build_object('route', 'r-' || i, 'mode', 'bus') end,
       'active'
     from generate_series(0, $1::int - 1) as i`,
    [SERVICES],
  );
  const res = await call("POST", `${DOMAIN}/assignments`, {
    token: admin,
    body: { assignment_key: "default", ...V1 },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

describe.each(DRIVERS)("blocking services at scale on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "ops@example.com" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await resetDemo(tdb);
    await seedMetro(tdb, admin);
  }, 60_000);

  const put = (body: unknown, url = DEFAULT) => call<Written>("PUT", url, { token: admin, body });
  const revisions = async () =>
    (await call<Page<Revision>>("GET", `${DEFAULT}/revisions`, { token: admin })).body.items;
  const overrides = async () =>
    (
      await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from assignments where domain_id = 'metro' and scope <> ''`,
      )
    )[0]!.n;
  const featuresOf = async (serviceId: string) =>
    (
      await call<{ provided_features: Record<string, unknown> }>(
        "GET",
        `${DOMAIN}/service/${serviceId}`,
        { token: admin },
      )
    ).body.provided_features;

  it("refuses the move while 1,929 services block it, naming each", async () => {
    const res = await put(V2);
    expectError(res, 422, /1929 services/);
    const blocking = (res.body as unknown as Preview).blocking_services;
    expect(blocking).toHaveLength(1_929);
    expect(blocking.find((b) => b.service_id === id(0))).toMatchObject({ missing: ["route"] });
    expect(blocking.find((b) => b.service_id === id(1))).toMatchObject({
      missing: [],
      invalid: [{ key: "night_service", expected: "boolean", got: '"yes"' }],
    });
  }, 60_000);

  it("moves 10,000 services in one write: 1,429 fixed by service_updates, the 500 others pinned", async () => {
    const body = { ...V2, service_updates: FIXES, pin_services: BAD_NIGHT };

    // The preview: nothing blocks, the pinned ones are listed and not moved.
    const preview = await call<Preview>("POST", `${DEFAULT}/preview`, { token: admin, body });
    expect(preview.status, JSON.stringify(preview.body).slice(0, 500)).toBe(200);
    expect(preview.body.compatible).toBe(true);
    expect(preview.body.blocking_services).toEqual([]);
    expect(preview.body.pinned).toHaveLength(500);
    expect(preview.body.pinned[0]).toEqual({
      service_id: id(1),
      assignment_id: null,
      model_id: "example-model",
      model_version: "1.0.0",
    });
    expect(preview.body.changes).toHaveLength(SERVICES - 500);
    expect(preview.body.changes.some((c) => c.service_id === id(1))).toBe(false);

    // The dry run answers what the write would, and writes nothing.
    const dry = await put(body, `${DEFAULT}?dry_run=true`);
    expect(dry.status).toBe(200);
    expect(dry.body.model_version).toBe("2.0.0");
    expect(dry.body.pinned).toHaveLength(500);
    expect(await revisions()).toHaveLength(1);
    expect(await overrides()).toBe(0);
    expect(await featuresOf(id(0))).toEqual({ mode: "bus" });

    const res = await put(body);
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.model_version).toBe("2.0.0");
    expect(res.body.pinned).toHaveLength(500);
    expect(res.body.pinned.map((p) => p.service_id)).toEqual(BAD_NIGHT);
    for (const p of res.body.pinned) {
      expect(p.assignment_id).toMatch(UUID);
      expect(p).toMatchObject({ model_id: "example-model", model_version: "1.0.0" });
    }
    expect(await featuresOf(id(0))).toEqual({ mode: "bus", route: `route-${id(0)}` });
    expect(await overrides()).toBe(500);

    // A pinned service runs its own assignment on 1.0.0, pinned by the domain change; a fixed one runs 2.0.0.
    const pinned = await call<Record<string, unknown>>(
      "GET",
      `${DOMAIN}/service/${id(1)}/assignments/default/effective`,
      { token: admin },
    );
    expect(pinned.body).toMatchObject({
      source: "service",
      model_version: "1.0.0",
      pinned_by: res.body.assignment_id,
      assignment_id: res.body.pinned[0]!.assignment_id,
    });
    const fixed = await call<Record<string, unknown>>(
      "GET",
      `${DOMAIN}/service/${id(0)}/assignments/default/effective`,
      { token: admin },
    );
    expect(fixed.body).toMatchObject({ source: "domain_default", model_version: "2.0.0" });

    // History shows the patches and the pins as part of the change.
    const [newest] = await revisions();
    expect(newest!.assignment_id).toBe(res.body.assignment_id);
    expect(newest!.service_changes).toHaveLength(1_429);
    expect(newest!.pinned_services).toEqual(res.body.pinned);

    // The services list marks the pinned services.
    const list = await call<Page<ServiceItem>>(
      "GET",
      `${DOMAIN}/services?include=effective&limit=3`,
      { token: admin },
    );
    expect(list.body.items.map((s) => s.effective.default)).toEqual([
      expect.objectContaining({
        source: "domain_default",
        model_version: "2.0.0",
        pinned_by: null,
      }),
      expect.objectContaining({
        source: "service",
        model_version: "1.0.0",
        pinned_by: res.body.assignment_id,
      }),
      expect.objectContaining({
        source: "domain_default",
        model_version: "2.0.0",
        pinned_by: null,
      }),
    ]);

    // The same PUT again changes nothing (the pinned ones have their own assignments now): idempotent.
    const again = await put(body);
    expect(again.status).toBe(200);
    expect(again.body.assignment_id).toBe(res.body.assignment_id);
    expect(again.body.pinned).toEqual([]);
    expect(await revisions()).toHaveLength(2);
  }, 120_000);

  it("unpins a service by archiving its pinned assignment, once its features are fixed", async () => {
    const res = await put({ ...V2, service_updates: FIXES, pin_services: BAD_NIGHT });
    expect(res.status).toBe(200);
    const svc = `${DOMAIN}/service/${id(1)}`;
    // Still "yes": archiving would put it on 2.0.0, which it does not satisfy.
    const early = await call("PUT", `${svc}/assignments/default`, {
      token: admin,
      body: { ...V1, status: "archived" },
    });
    expectError(early, 422, new RegExp(id(1)));
    const patched = await call("PATCH", svc, {
      token: admin,
      body: { provided_features: { night_service: true } },
    });
    expect(patched.status).toBe(200);
    const unpinned = await call("PUT", `${svc}/assignments/default`, {
      token: admin,
      body: { ...V1, status: "archived" },
    });
    expect(unpinned.status, JSON.stringify(unpinned.body)).toBe(200);
    const effective = await call<Record<string, unknown>>(
      "GET",
      `${svc}/assignments/default/effective`,
      {
        token: admin,
      },
    );
    expect(effective.body).toMatchObject({ source: "domain_default", model_version: "2.0.0" });
    const list = await call<Page<ServiceItem>>(
      "GET",
      `${DOMAIN}/services?include=effective&q=${id(1)}`,
      { token: admin },
    );
    expect(list.body.items[0]!.effective.default).toMatchObject({
      source: "domain_default",
      pinned_by: null,
    });
    // Pinned, archived, written again: each key's active revision is still its latest.
    expect(await activeNotLatest(tdb.database)).toEqual([]);
  }, 120_000);

  describe("a bad entry in either list refuses the whole write and names it", () => {
    const expectNothingWritten = async () => {
      expect(await revisions()).toHaveLength(1);
      expect(await overrides()).toBe(0);
      expect(await featuresOf(id(0))).toEqual({ mode: "bus" });
    };

    it("a pinned service unknown to the domain: 422", async () => {
      const res = await put({
        ...V2,
        service_updates: FIXES,
        pin_services: [...BAD_NIGHT.slice(0, 250), "m-99999", ...BAD_NIGHT.slice(250)],
      });
      expectError(res, 422, /pin_services names service "m-99999", which is not in domain "metro"/);
      await expectNothingWritten();
    }, 60_000);

    it("a departed pinned service: 422", async () => {
      await tdb.database.query(`update services set status = 'departed' where id = $1`, [id(3)]);
      const res = await put({
        ...V2,
        service_updates: FIXES,
        pin_services: [...BAD_NIGHT, id(3)],
      });
      expectError(res, 422, /pin_services names service "m-00003", which has departed/);
      await expectNothingWritten();
    }, 60_000);

    it("a service both fixed and pinned: 422", async () => {
      const res = await put({
        ...V2,
        service_updates: FIXES,
        pin_services: [...BAD_NIGHT, id(700)],
      });
      expectError(res, 422, /"m-00700" is both in service_updates and in pin_services/);
      await expectNothingWritten();
    }, 60_000);

    it("a service listed twice in pin_services: 400", async () => {
      const res = await put({ ...V2, service_updates: FIXES, pin_services: [...BAD_NIGHT, id(1)] });
      expectError(res, 400, /pin_services names service "m-00001" more than once/);
      await expectNothingWritten();
    });

    it("a service_updates entry for a service unknown to the domain: 404", async () => {
      const res = await put({
        ...V2,
        service_updates: [...FIXES, { service_id: "m-99999", static_features: { route: "x" } }],
        pin_services: BAD_NIGHT,
      });
      expectError(
        res,
        404,
        /service_updates names service "m-99999", which is not in domain "metro"/,
      );
      await expectNothingWritten();
    }, 60_000);

    it("a service_updates entry of the wrong type: 422 naming that service", async () => {
      const res = await put({
        ...V2,
        service_updates: [...FIXES.slice(1), { service_id: id(0), static_features: { route: 42 } }],
        pin_services: BAD_NIGHT,
      });
      expectError(res, 422, /m-00000/);
      expect((res.body as unknown as Preview).blocking_services).toEqual([
        {
          service_id: id(0),
          missing: [],
          invalid: [{ key: "route", expected: "string", got: "42" }],
        },
      ]);
      await expectNothingWritten();
    }, 60_000);

    it("pin_services on a service's own route: 400", async () => {
      const res = await put(
        { ...V2, pin_services: [id(1)] },
        `${DOMAIN}/service/${id(1)}/assignments/default`,
      );
      expectError(res, 400, /pin_services/);
    });

    it("pins when the key has no active domain default to keep: 422", async () => {
      const res = await put({ ...V2, pin_services: [id(1)] }, `${DOMAIN}/assignments/eta`);
      expectError(res, 422, /no active domain default/);
    });
  });

  it("takes bodies over 1 MiB on the domain routes (up to 16 MiB), not on a service's", async () => {
    const long = "r".repeat(150);
    const big = {
      ...V2,
      service_updates: ALL.map((i) => ({ service_id: id(i), static_features: { route: long } })),
    };
    expect(JSON.stringify(big).length).toBeGreaterThan(1024 * 1024);
    const preview = await call<Preview>("POST", `${DEFAULT}/preview`, { token: admin, body: big });
    expect(preview.status).toBe(200);
    expect(preview.body.blocking_services).toHaveLength(500);
    const service = await put(
      { ...V2, metadata: { pad: "x".repeat(1024 * 1024) } },
      `${DOMAIN}/service/${id(1)}/assignments/default`,
    );
    expectError(service, 413, /1 MiB/);
  }, 60_000);

  it("writes with the same statements however many services it fixes and pins", async () => {
    const statements = async (body: unknown) => {
      const seen: string[] = [];
      setDatabase(loggingDatabase(tdb.database, (text) => seen.push(text)));
      try {
        const res = await put(body, `${DEFAULT}?dry_run=true`);
        expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      } finally {
        setDatabase(tdb.database);
      }
      return seen.length;
    };
    const many = await statements({ ...V2, service_updates: FIXES, pin_services: BAD_NIGHT });
    const few = await statements({
      ...V2,
      service_updates: FIXES.slice(0, 3),
      pin_services: [...MISSING_ROUTE.slice(3), ...BAD_NIGHT].sort(),
    });
    expect(few).toBe(many);
    expect(many).toBeLessThanOrEqual(10);
  }, 120_000);
});
