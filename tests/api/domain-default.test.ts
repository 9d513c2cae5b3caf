// The domain default route, PUT /v2/clients/{c}/domains/{d}/assignments/{k}: blocking services, service_updates
// applied atomically with the new revision, and the preview of a change's blast radius.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import {
  DOMAIN,
  expectError,
  resetDemo,
  service,
  serviceAssignment,
  UUID,
  V1,
  V2,
} from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Row = Record<string, unknown> & {
  assignment_id: string;
  revision: number;
  status: string;
  model_version: string;
};
type Page<T> = { items: T[]; next_cursor: string | null };
type ServiceRow = {
  service_id: string;
  provided_features: Record<string, unknown>;
  status: string;
};
type Change = {
  service_id: string;
  from: unknown;
  to: unknown;
  compatible: boolean;
  missing: string[];
  invalid: unknown[];
};

// What the demo's services lack for example-model 2.0.0 (route is required with no default; svc-006 says
// night_service "yes", not a boolean). svc-002 has its own assignment; svc-009 has departed.
const DEMO_BLOCKING = [
  { service_id: "svc-001", missing: ["route"], invalid: [] },
  { service_id: "svc-003", missing: ["route"], invalid: [] },
  {
    service_id: "svc-006",
    missing: ["route"],
    invalid: [{ key: "night_service", expected: "boolean", got: '"yes"' }],
  },
];

const FIX_ALL = [
  { service_id: "svc-001", static_features: { route: "route-a" } },
  { service_id: "svc-003", static_features: { route: "route-obx" } },
  { service_id: "svc-006", static_features: { route: "route-pac", night_service: true } },
];

describe.each(DRIVERS)("domain default on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "ops@example.com" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const put = (body: unknown, url = DOMAIN_DEFAULT) =>
    call<Row>("PUT", url, { token: admin, body });
  const revisions = async () =>
    (await call<Page<Row>>("GET", `${DOMAIN_DEFAULT}/revisions`, { token: admin })).body.items;
  const features = async () => {
    const res = await call<Page<ServiceRow>>("GET", `${DOMAIN}/services`, { token: admin });
    return Object.fromEntries(res.body.items.map((s) => [s.service_id, s.provided_features]));
  };

  it("reads the demo's domain default", async () => {
    const res = await call<Row>("GET", DOMAIN_DEFAULT, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      client_id: "client-1",
      domain_id: "south_australia",
      service_id: null,
      assignment_key: "default",
      revision: 1,
      model_id: "example-model",
      model_version: "1.0.0",
      status: "active",
    });
    expect(res.headers.get("etag")).toBe(`"${res.body.assignment_id}"`);
    const list = await call<Page<Row>>("GET", `${DOMAIN}/assignments`, { token: admin });
    expect(list.body.items.map((r) => [r.assignment_key, r.model_id])).toEqual([
      ["default", "example-model"],
      ["eta", "eta-model"],
    ]);
  });

  it("422 lists every blocking service, and writes nothing", async () => {
    const before = await features();
    const res = await put(V2);
    expectError(
      res,
      422,
      /Feature contract mismatch: 3 services are not compatible with example-model 2\.0\.0/,
    );
    expect(res.body.message).toMatch(/svc-001.*svc-003.*svc-006/);
    expect(res.body.message).toMatch(/service_updates/);
    expect(res.body).toEqual({
      success: false,
      message: expect.any(String),
      blocking_services: DEMO_BLOCKING,
    });
    expect(await revisions()).toHaveLength(1);
    expect((await call<Row>("GET", DOMAIN_DEFAULT, { token: admin })).body.model_version).toBe(
      "1.0.0",
    );
    expect(await features()).toEqual(before);
  });

  it("200 with service_updates fixing every blocker: patches saved, one new revision", async () => {
    const before = await features();
    const res = await put({ ...V2, service_updates: FIX_ALL });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      service_id: null,
      model_version: "2.0.0",
      revision: 2,
      status: "active",
      created_by: "ops@example.com",
    });

    const after = await features();
    expect(after).toEqual({
      ...before,
      "svc-001": { mode: "tram", route: "route-a" },
      "svc-003": { mode: "bus", stops: 8, route: "route-obx" },
      "svc-006": { mode: "bus", stops: 14, night_service: true, route: "route-pac" },
    });
    const one = await call<ServiceRow>("GET", service("svc-006"), { token: admin });
    expect(one.body).toMatchObject({
      service_id: "svc-006",
      status: "active",
      provided_features: after["svc-006"],
    });

    const list = await revisions();
    expect(list.map((r) => [r.revision, r.status, r.model_version])).toEqual([
      [2, "active", "2.0.0"],
      [1, "archived", "1.0.0"],
    ]);
    // The services now run 2.0.0 through the domain default.
    const effective = await call<Row>("GET", `${serviceAssignment("svc-001")}/effective`, {
      token: admin,
    });
    expect(effective.body).toMatchObject({
      source: "domain_default",
      assignment_id: res.body.assignment_id,
      model_version: "2.0.0",
    });

    // Repeating the same request changes nothing.
    const again = await put({ ...V2, service_updates: FIX_ALL });
    expect(again.body.assignment_id).toBe(res.body.assignment_id);
    expect(await revisions()).toHaveLength(2);
  });

  it("422 when the patches fix only some blockers, and none of the patches is saved", async () => {
    const before = await features();
    const res = await put({ ...V2, service_updates: FIX_ALL.slice(0, 2) });
    expectError(res, 422, /1 service is not compatible/);
    expect(res.body.blocking_services).toEqual([DEMO_BLOCKING[2]]);
    expect(await features()).toEqual(before);
    expect(await revisions()).toHaveLength(1);
    expect(await tdb.database.query(`select 1 from audit_log`)).toEqual([]);
  });

  it("422 when a patch itself is invalid, naming the bad value", async () => {
    const res = await put({
      ...V2,
      service_updates: [
        ...FIX_ALL.slice(0, 2),
        { service_id: "svc-006", static_features: { route: "r", night_service: true, stops: 1.5 } },
      ],
    });
    expectError(res, 422);
    expect(res.body.blocking_services).toEqual([
      {
        service_id: "svc-006",
        missing: [],
        invalid: [{ key: "stops", expected: "integer", got: "1.5" }],
      },
    ]);
  });

  it("a null in static_features removes the key and can make a service blocking", async () => {
    const res = await put({
      ...V2,
      service_updates: [...FIX_ALL, { service_id: "svc-004", static_features: { route: null } }],
    });
    expectError(res, 422);
    expect(res.body.blocking_services).toEqual([
      { service_id: "svc-004", missing: ["route"], invalid: [] },
    ]);
  });

  it("patches a service with its own assignment against that assignment's contract", async () => {
    // svc-002 runs its own 2.0.0 override, so removing its route breaks it even though the default is 1.0.0.
    const res = await put({
      ...V1,
      metadata: { touch: 1 },
      service_updates: [{ service_id: "svc-002", static_features: { route: null } }],
    });
    expectError(res, 422);
    expect(res.body.blocking_services).toEqual([
      { service_id: "svc-002", missing: ["route"], invalid: [] },
    ]);
    expect(
      (await call<ServiceRow>("GET", service("svc-002"), { token: admin })).body.provided_features,
    ).toMatchObject({ route: "route-ohl" });
  });

  it("service_updates naming an unknown service: 404; a departed one: 422; naming one twice: 400", async () => {
    const unknown = await put({
      ...V2,
      service_updates: [...FIX_ALL, { service_id: "svc-404", static_features: { route: "r" } }],
    });
    expectError(unknown, 404, /"svc-404".*not in domain "south_australia"/);
    const departed = await put({
      ...V2,
      service_updates: [...FIX_ALL, { service_id: "svc-009", static_features: { route: "r" } }],
    });
    expectError(departed, 422, /"svc-009".*departed/);
    const twice = await put({ ...V2, service_updates: [...FIX_ALL, FIX_ALL[0]] });
    expectError(twice, 400, /"svc-001" more than once/);
    expect(
      (await call<ServiceRow>("GET", service("svc-001"), { token: admin })).body.provided_features,
    ).toEqual({ mode: "tram" });
    expect(await revisions()).toHaveLength(1);
  });

  it("a service of another domain is unknown here", async () => {
    const res = await put({
      ...V2,
      service_updates: [...FIX_ALL, { service_id: "svc-101", static_features: { route: "r" } }],
    });
    expectError(res, 404, /"svc-101"/);
  });

  it("departed services are never validated", async () => {
    // svc-009 (departed) lacks route too; once svc-001, svc-003 and svc-006 depart, 2.0.0 goes through.
    for (const id of ["svc-001", "svc-003", "svc-006"]) {
      expect(
        (await call("PATCH", service(id), { token: admin, body: { status: "departed" } })).status,
      ).toBe(200);
    }
    const res = await put(V2);
    expect(res.status).toBe(200);
    expect(res.body.model_version).toBe("2.0.0");
  });

  it("422 for an inactive domain, 404 for an unknown one", async () => {
    expectError(
      await put(V1, "/v2/clients/client-1/domains/victoria/assignments/default"),
      422,
      /"victoria" is not active/,
    );
    expectError(
      await put(V1, "/v2/clients/client-1/domains/atlantis/assignments/default"),
      404,
      /"atlantis"/,
    );
    expectError(
      await call("GET", "/v2/clients/client-1/domains/victoria/assignments/default", {
        token: admin,
      }),
      404,
      /No active assignment/,
    );
  });

  it("dry_run reports the same 422, and with fixes the same 200, without writing", async () => {
    const real = await put(V2);
    const dry = await call("PUT", `${DOMAIN_DEFAULT}?dry_run=true`, { token: admin, body: V2 });
    expect({ status: dry.status, body: dry.body }).toEqual({
      status: real.status,
      body: real.body,
    });

    const before = await features();
    const ok = await call<Row>("PUT", `${DOMAIN_DEFAULT}?dry_run=true`, {
      token: admin,
      body: { ...V2, service_updates: FIX_ALL },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      revision: 2,
      model_version: "2.0.0",
      status: "active",
      service_id: null,
    });
    expect(await features()).toEqual(before);
    expect(await revisions()).toHaveLength(1);
    expect(await tdb.database.query(`select 1 from audit_log`)).toEqual([]);
  });

  it("retiring the default leaves services without an effective assignment", async () => {
    const res = await put({ ...V1, status: "archived" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "archived", revision: 2 });
    expectError(await call("GET", DOMAIN_DEFAULT, { token: admin }), 404);
    expectError(
      await call("GET", `${serviceAssignment("svc-001")}/effective`, { token: admin }),
      404,
      /no effective assignment "default"/,
    );
    // svc-002 keeps its own.
    expect(
      (await call<Row>("GET", `${serviceAssignment("svc-002")}/effective`, { token: admin })).body
        .source,
    ).toBe("service");
  });

  describe("preview", () => {
    const preview = (body: unknown) =>
      call<{ compatible: boolean; blocking_services: unknown[]; changes: Change[] }>(
        "POST",
        `${DOMAIN_DEFAULT}/preview`,
        { token: admin, body },
      );

    it("shows the blast radius: every applicable service, from and to, and who blocks", async () => {
      const current = (await call<Row>("GET", DOMAIN_DEFAULT, { token: admin })).body;
      const res = await preview(V2);
      expect(res.status).toBe(200);
      expect(res.body.compatible).toBe(false);
      expect(res.body.blocking_services).toEqual(DEMO_BLOCKING);

      const from = {
        assignment_id: current.assignment_id,
        source: "domain_default",
        model_id: "example-model",
        model_version: "1.0.0",
      };
      const to = {
        assignment_id: null,
        source: "domain_default",
        model_id: "example-model",
        model_version: "2.0.0",
      };
      const ok = (service_id: string) => ({
        service_id,
        from,
        to,
        compatible: true,
        missing: [],
        invalid: [],
      });
      expect(res.body.changes).toEqual([
        ok("service-1"),
        { service_id: "svc-001", from, to, compatible: false, missing: ["route"], invalid: [] },
        { service_id: "svc-003", from, to, compatible: false, missing: ["route"], invalid: [] },
        ok("svc-004"),
        ok("svc-005"),
        {
          service_id: "svc-006",
          from,
          to,
          compatible: false,
          missing: ["route"],
          invalid: DEMO_BLOCKING[2]!.invalid,
        },
        ok("svc-007"),
        ok("svc-008"),
      ]);
      // svc-002 runs its own assignment and svc-009 has departed: the change does not reach them.
      expect(res.body.changes.map((c) => c.service_id)).not.toContain("svc-002");
      expect(res.body.changes.map((c) => c.service_id)).not.toContain("svc-009");
    });

    it("is compatible with the fixes, and writes nothing", async () => {
      const before = await features();
      const res = await preview({ ...V2, service_updates: FIX_ALL });
      expect(res.status).toBe(200);
      expect(res.body.compatible).toBe(true);
      expect(res.body.blocking_services).toEqual([]);
      expect(res.body.changes.every((c) => c.compatible)).toBe(true);
      expect(res.body.changes).toHaveLength(8);
      expect(await features()).toEqual(before);
      expect(await revisions()).toHaveLength(1);
      expect((await call<Row>("GET", DOMAIN_DEFAULT, { token: admin })).body.model_version).toBe(
        "1.0.0",
      );
    });

    it("from is null for a key with no default yet", async () => {
      const res = await call<{ compatible: boolean; changes: Change[] }>(
        "POST",
        `${DOMAIN}/assignments/anomaly/preview`,
        { token: admin, body: V1 },
      );
      expect(res.status).toBe(200);
      expect(res.body.compatible).toBe(true);
      expect(res.body.changes).toHaveLength(9);
      expect(res.body.changes[0]).toEqual({
        service_id: "service-1",
        from: null,
        to: {
          assignment_id: null,
          source: "domain_default",
          model_id: "example-model",
          model_version: "1.0.0",
        },
        compatible: true,
        missing: [],
        invalid: [],
      });
      expectError(await call("GET", `${DOMAIN}/assignments/anomaly`, { token: admin }), 404);
    });

    it("answers the same errors as the PUT", async () => {
      expectError(await preview({ model_id: "example-model" }), 400, /model_version/);
      expectError(await preview({ model_id: "nope", model_version: "1" }), 422, /"nope"/);
      expectError(await preview({ ...V2, assignment_key: "eta" }), 400, /disagrees/);
      expectError(
        await preview({ ...V2, service_updates: [{ service_id: "svc-404", static_features: {} }] }),
        404,
      );
      expectError(
        await call("POST", "/v2/clients/client-1/domains/victoria/assignments/default/preview", {
          token: admin,
          body: V1,
        }),
        422,
      );
    });

    it("needs only read access", async () => {
      const viewer = await token({ scopes: ["assignments:read"] });
      const res = await call("POST", `${DOMAIN_DEFAULT}/preview`, { token: viewer, body: V2 });
      expect(res.status).toBe(200);
      expect(res.body.blocking_services).toEqual(DEMO_BLOCKING);
    });

    it("the changes carry real ids once the default moved", async () => {
      const moved = await put({ ...V2, service_updates: FIX_ALL });
      const res = await preview(V1);
      expect(res.body.changes[0]!.from).toEqual({
        assignment_id: expect.stringMatching(UUID),
        source: "domain_default",
        model_id: "example-model",
        model_version: "2.0.0",
      });
      expect((res.body.changes[0]!.from as { assignment_id: string }).assignment_id).toBe(
        moved.body.assignment_id,
      );
    });
  });
});
