// The seed page's route, PUT /v2/clients/{c}/domains/{d}/service/{s}/assignments/{k}: every status code it
// documents, revisions, idempotency, retiring, the collection POST, If-Match and dry runs.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, SEED_PUT, token } from "../helpers/api";
import {
  DOMAIN,
  expectError,
  ISO,
  resetDemo,
  service,
  serviceAssignment,
  UUID,
  V1,
  V2,
} from "../helpers/demo";
import {
  activeNotLatest,
  createTestDatabase,
  DRIVERS,
  type TestDatabase,
} from "../helpers/test-database";

type Row = Record<string, unknown> & { assignment_id: string; revision: number; status: string };
type Page = { items: Row[]; next_cursor: string | null };

describe.each(DRIVERS)("seed route on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "alice@example.com" });
  });
  afterAll(async () => tdb.drop());
  // Whatever a test wrote, each key's active revision is its latest (the context read relies on it, decision 130).
  afterEach(async () => expect(await activeNotLatest(tdb.database)).toEqual([]));
  beforeEach(async () => resetDemo(tdb));

  const put = (body: unknown, url = SEED_PUT, headers?: Record<string, string>) =>
    call<Row>("PUT", url, { token: admin, body, headers });
  // The revisions of a key; a key that never had one answers 404, read here as no revisions.
  const revisions = async (url = SEED_PUT): Promise<Page> => {
    const res = await call<Page>("GET", `${url}/revisions`, { token: admin });
    if (res.status === 404) return { items: [], next_cursor: null };
    expect(res.status).toBe(200);
    return res.body;
  };

  describe("200", () => {
    it("creates the first revision with the seed page's response fields", async () => {
      const res = await put(V2);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        assignment_id: expect.stringMatching(UUID),
        client_id: "client-1",
        domain_id: "south_australia",
        service_id: "service-1",
        assignment_key: "default",
        revision: 1,
        model_id: "example-model",
        model_version: "2.0.0",
        status: "active",
        role: null,
        settings: {},
        metadata: {},
        created_by: "alice@example.com",
        change_reason: null,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        restored_from_revision: null,
        pinned_by: null,
      });
      expect(res.headers.get("etag")).toBe(`"${res.body.assignment_id}"`);

      const get = await call<Row>("GET", SEED_PUT, { token: admin });
      expect(get.status).toBe(200);
      expect(get.body).toEqual(res.body);
      expect(get.headers.get("etag")).toBe(`"${res.body.assignment_id}"`);
    });

    it("stores role, settings and metadata, and accepts assignment_key equal to the path's", async () => {
      const body = {
        ...V1,
        assignment_key: "default",
        role: "primary",
        settings: { horizon: 3, nested: { a: [1, 2] } },
        metadata: { ticket: "OPS-1" },
      };
      const res = await put(body);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        role: "primary",
        settings: body.settings,
        metadata: body.metadata,
        model_version: "1.0.0",
      });
      expect((await call<Row>("GET", SEED_PUT, { token: admin })).body).toMatchObject({
        role: "primary",
        settings: body.settings,
        metadata: body.metadata,
      });
    });
  });

  describe("400", () => {
    const cases: [string, Parameters<typeof call>[2], RegExp, string | null][] = [
      [
        "malformed JSON",
        {
          rawBody: '{"model_id": "example-model",',
          headers: { "content-type": "application/json" },
        },
        /Malformed JSON/,
        null,
      ],
      [
        "an empty body",
        { rawBody: "", headers: { "content-type": "application/json" } },
        /empty/i,
        null,
      ],
      ["a JSON array", { body: [V2] }, /Invalid request body/, "(body)"],
      [
        "a missing model_version",
        { body: { model_id: "example-model" } },
        /model_version/,
        "model_version",
      ],
      ["a number as model_id", { body: { ...V2, model_id: 42 } }, /model_id/, "model_id"],
      [
        "settings that are not an object",
        { body: { ...V2, settings: "fast" } },
        /settings/,
        "settings",
      ],
      ["a role that is not a string", { body: { ...V2, role: 7 } }, /role/, "role"],
      ["an unknown status", { body: { ...V2, status: "paused" } }, /status/, "status"],
      ["an unknown field", { body: { ...V2, colour: "red" } }, /colour/, null],
      [
        "service_updates that are not an array",
        { body: { ...V2, service_updates: { service_id: "service-1" } } },
        /service_updates/,
        "service_updates",
      ],
      [
        "a feature value that is an object",
        {
          body: {
            ...V2,
            service_updates: [{ service_id: "service-1", static_features: { route: { a: 1 } } }],
          },
        },
        /service_updates/,
        null,
      ],
      [
        "assignment_key disagreeing with the path",
        { body: { ...V2, assignment_key: "eta" } },
        /assignment_key "eta".*disagrees.*"default"/,
        "assignment_key",
      ],
    ];

    it.each(cases)(
      "for %s, with issues naming the field",
      async (_name, options, message, issuePath) => {
        const res = await call("PUT", SEED_PUT, { token: admin, ...options });
        expectError(res, 400, message);
        if (issuePath !== null) {
          expect(res.body.issues).toEqual(
            expect.arrayContaining([{ path: issuePath, message: expect.any(String) }]),
          );
        }
        expect((await revisions()).items).toEqual([]);
      },
    );

    it("returns issues for every invalid field at once", async () => {
      const res = await call("PUT", SEED_PUT, {
        token: admin,
        body: { model_id: 1, model_version: true, status: "x" },
      });
      expectError(res, 400);
      const paths = (res.body.issues as { path: string }[]).map((i) => i.path).sort();
      expect(paths).toEqual(["model_id", "model_version", "status"]);
    });

    it.each([
      [
        "client_id",
        "/v2/clients/-client/domains/south_australia/service/service-1/assignments/default",
      ],
      [
        "domain_id",
        "/v2/clients/client-1/domains/south%20australia/service/service-1/assignments/default",
      ],
      [
        "service_id",
        "/v2/clients/client-1/domains/south_australia/service/svc!1/assignments/default",
      ],
      [
        "assignment_key",
        `/v2/clients/client-1/domains/south_australia/service/service-1/assignments/${"k".repeat(129)}`,
      ],
    ])("for a bad path parameter %s", async (param, url) => {
      const res = await call("PUT", url, { token: admin, body: V2 });
      expectError(res, 400, new RegExp(param));
      expect(res.body.issues).toEqual([
        { path: param, message: expect.stringMatching(/identifier/) },
      ]);
    });

    it("for a bad dry_run value", async () => {
      const res = await call("PUT", `${SEED_PUT}?dry_run=maybe`, { token: admin, body: V2 });
      expectError(res, 400, /dry_run/);
    });
  });

  describe("404", () => {
    it.each([
      [
        "client",
        "/v2/clients/client-9/domains/south_australia/service/service-1/assignments/default",
        /Client "client-9" not found/,
      ],
      [
        "domain",
        "/v2/clients/client-1/domains/atlantis/service/service-1/assignments/default",
        /Domain "atlantis" not found/,
      ],
      [
        "service",
        "/v2/clients/client-1/domains/south_australia/service/svc-404/assignments/default",
        /Service "svc-404" not found/,
      ],
      [
        "service of another domain",
        "/v2/clients/client-1/domains/south_australia/service/svc-101/assignments/default",
        /Service "svc-101" not found/,
      ],
    ])("for an unknown %s", async (_what, url, message) => {
      const res = await call("PUT", url, { token: admin, body: V2 });
      expectError(res, 404, message);
    });

    it("for GET of a key with no active revision", async () => {
      expectError(
        await call("GET", SEED_PUT, { token: admin }),
        404,
        /No active assignment "default"/,
      );
      expectError(
        await call("GET", `${SEED_PUT}/revisions`, { token: admin }),
        404,
        /no revisions/,
      );
    });
  });

  describe("422", () => {
    it("for an inactive domain", async () => {
      const res = await put(
        V1,
        "/v2/clients/client-1/domains/victoria/service/svc-101/assignments/default",
      );
      expectError(res, 422, /Domain "victoria" is not active/);
    });

    it("for a departed service", async () => {
      const res = await put(V1, serviceAssignment("svc-009"));
      expectError(res, 422, /Service "svc-009" has departed/);
      expectError(
        await call("GET", `${serviceAssignment("svc-009")}/revisions`, { token: admin }),
        404,
      );
    });

    it("for a model missing from the registry, naming it", async () => {
      const res = await put({ model_id: "no-such-model", model_version: "1.0.0" });
      expectError(res, 422, /Model "no-such-model" is not in the registry/);
    });

    it("for a version missing from the registry, naming it", async () => {
      const res = await put({ model_id: "example-model", model_version: "9.9.9" });
      expectError(res, 422, /"example-model" has no version "9\.9\.9"/);
    });

    it("for a service that lacks a required feature, with blocking_services", async () => {
      const res = await put(V2, serviceAssignment("svc-001"));
      expectError(res, 422, /Feature contract mismatch.*svc-001.*route/);
      expect(res.body).toEqual({
        success: false,
        message: expect.any(String),
        blocking_services: [{ service_id: "svc-001", missing: ["route"], invalid: [] }],
      });
      expect((await revisions(serviceAssignment("svc-001"))).items).toEqual([]);
    });

    it("lists both missing and mistyped features", async () => {
      const res = await put(V2, serviceAssignment("svc-006"));
      expectError(res, 422);
      expect(res.body.blocking_services).toEqual([
        {
          service_id: "svc-006",
          missing: ["route"],
          invalid: [{ key: "night_service", expected: "boolean", got: '"yes"' }],
        },
      ]);
    });

    it("passes once the service's own service_updates fill the gap, saving the patch", async () => {
      const res = await put(
        {
          ...V2,
          service_updates: [{ service_id: "svc-001", static_features: { route: "route-a" } }],
        },
        serviceAssignment("svc-001"),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        service_id: "svc-001",
        model_version: "2.0.0",
        revision: 1,
      });
      const svc = await call("GET", service("svc-001"), { token: admin });
      expect(svc.body.provided_features).toEqual({ mode: "tram", route: "route-a" });
    });
  });

  describe("the documented order of checks", () => {
    it("validates the body (400) before looking anything up (404)", async () => {
      const res = await put(
        { model_id: "example-model" },
        "/v2/clients/client-9/domains/nowhere/service/none/assignments/default",
      );
      expectError(res, 400, /model_version/);
    });

    it("missing client, domain or service (404) before the registry (422)", async () => {
      expectError(
        await put({ model_id: "ghost", model_version: "1" }, serviceAssignment("svc-404")),
        404,
        /"svc-404"/,
      );
    });

    it("an inactive domain or departed service (422) before the registry", async () => {
      const inactive = await put(
        { model_id: "ghost", model_version: "1" },
        "/v2/clients/client-1/domains/victoria/service/svc-101/assignments/default",
      );
      expectError(inactive, 422, /"victoria" is not active/);
      expectError(
        await put({ model_id: "ghost", model_version: "1" }, serviceAssignment("svc-009")),
        422,
        /"svc-009" has departed/,
      );
    });

    it("the registry (422 naming the model) before compatibility", async () => {
      expectError(
        await put({ model_id: "ghost", model_version: "1" }, serviceAssignment("svc-001")),
        422,
        /Model "ghost"/,
      );
    });

    it("lists a service's own assignments, 404 for an unknown service", async () => {
      const list = await call<Page>("GET", `${service("svc-002")}/assignments`, { token: admin });
      expect(list.body).toEqual({
        items: [
          expect.objectContaining({
            service_id: "svc-002",
            model_version: "2.0.0",
            metadata: { seeded: true },
          }),
        ],
        next_cursor: null,
      });
      expectError(
        await call("GET", `${service("svc-404")}/assignments`, { token: admin }),
        404,
        /"svc-404"/,
      );
      expectError(
        await call("GET", `${service("service-1")}/assignments?status=retired`, { token: admin }),
        400,
        /status/,
      );
    });
  });

  describe("service_updates on the service route", () => {
    it("refuses to patch another service with 400 (the seed page's own example)", async () => {
      const res = await put({
        ...V2,
        service_updates: [{ service_id: "svc-001", static_features: { route: "route-a" } }],
      });
      expectError(res, 400, /may only patch "service-1".*"svc-001"/);
      const svc = await call("GET", service("svc-001"), { token: admin });
      expect(svc.body.provided_features).toEqual({ mode: "tram" });
    });

    it("404 for a service unknown to the domain, 422 for a departed one", async () => {
      expectError(
        await put({
          ...V2,
          service_updates: [{ service_id: "svc-404", static_features: { route: "r" } }],
        }),
        404,
        /"svc-404"/,
      );
      expectError(
        await put({
          ...V2,
          service_updates: [{ service_id: "svc-009", static_features: { route: "r" } }],
        }),
        422,
        /"svc-009".*departed/,
      );
    });
  });

  describe("revisions", () => {
    it("archives the previous active revision on each upsert, numbering 1, 2, 3, newest first", async () => {
      const first = await put(V2);
      const second = await put(V1);
      const third = await put({ ...V2, metadata: { note: "back to 2" } });
      expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
      expect([first.body.revision, second.body.revision, third.body.revision]).toEqual([1, 2, 3]);
      expect(
        new Set([first.body.assignment_id, second.body.assignment_id, third.body.assignment_id])
          .size,
      ).toBe(3);

      const list = await revisions();
      expect(list.next_cursor).toBeNull();
      expect(list.items.map((r) => [r.revision, r.status, r.model_version])).toEqual([
        [3, "active", "2.0.0"],
        [2, "archived", "1.0.0"],
        [1, "archived", "2.0.0"],
      ]);
      // History reads add the service patches written with each revision (none here).
      expect(list.items[0]).toEqual({
        ...third.body,
        service_changes: [],
        pinned_services: [],
        change_request_id: null,
        approval_bypass: null,
      });

      // Archived revisions stay readable by id, for the jobs that ran on them.
      const archived = await call<Row>("GET", `/v2/assignments/${first.body.assignment_id}`, {
        token: admin,
      });
      expect(archived.status).toBe(200);
      expect(archived.body).toEqual({
        ...first.body,
        service_changes: [],
        pinned_services: [],
        change_request_id: null,
        approval_bypass: null,
        status: "archived",
        updated_at: expect.stringMatching(ISO),
      });
      expect(Date.parse(archived.body.updated_at as string)).toBeGreaterThanOrEqual(
        Date.parse(first.body.updated_at as string),
      );

      expect((await call<Row>("GET", SEED_PUT, { token: admin })).body.assignment_id).toBe(
        third.body.assignment_id,
      );

      const all = await call<Page>("GET", `${service("service-1")}/assignments?status=all`, {
        token: admin,
      });
      expect(all.body.items.map((r) => r.revision)).toEqual([3, 2, 1]);
      const archivedOnly = await call<Page>(
        "GET",
        `${service("service-1")}/assignments?status=archived`,
        { token: admin },
      );
      expect(archivedOnly.body.items.map((r) => r.revision)).toEqual([2, 1]);
      const active = await call<Page>("GET", `${service("service-1")}/assignments`, {
        token: admin,
      });
      expect(active.body).toEqual({ items: [third.body], next_cursor: null });
    });

    it("pages revisions with a cursor", async () => {
      for (const v of ["1.0.0", "2.0.0", "1.0.0", "2.0.0"])
        expect((await put({ model_id: "example-model", model_version: v })).status).toBe(200);
      const one = await call<Page>("GET", `${SEED_PUT}/revisions?limit=3`, { token: admin });
      expect(one.body.items.map((r) => r.revision)).toEqual([4, 3, 2]);
      expect(one.body.next_cursor).toEqual(expect.any(String));
      const two = await call<Page>(
        "GET",
        `${SEED_PUT}/revisions?limit=3&cursor=${one.body.next_cursor}`,
        { token: admin },
      );
      expect(two.body).toEqual({
        items: [expect.objectContaining({ revision: 1 })],
        next_cursor: null,
      });
      expectError(
        await call("GET", `${SEED_PUT}/revisions?cursor=garbage`, { token: admin }),
        400,
        /cursor/,
      );
      expectError(
        await call("GET", `${SEED_PUT}/revisions?limit=1001`, { token: admin }),
        400,
        /limit/,
      );
    });

    it("is idempotent: the same body twice returns the same revision and writes nothing", async () => {
      const body = { ...V2, role: "primary", settings: { a: 1, b: [1, 2] }, metadata: { x: "y" } };
      const first = await put(body);
      const again = await put({ ...body, settings: { b: [1, 2], a: 1 } });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect((await revisions()).items).toHaveLength(1);
      const audit = await tdb.database.query(
        `select 1 from audit_log where entity_type = 'assignment'`,
      );
      expect(audit).toHaveLength(1);
    });

    it("a change of role, settings or metadata alone makes a new revision", async () => {
      await put(V2);
      expect((await put({ ...V2, role: "shadow" })).body.revision).toBe(2);
      expect((await put({ ...V2, role: "shadow", settings: { k: 1 } })).body.revision).toBe(3);
      expect(
        (await put({ ...V2, role: "shadow", settings: { k: 1 }, metadata: { m: 1 } })).body
          .revision,
      ).toBe(4);
    });
  });

  describe("status archived", () => {
    it("retires the capability: no active revision remains", async () => {
      const first = await put(V2);
      const retired = await put({ ...V2, status: "archived" });
      expect(retired.status).toBe(200);
      expect(retired.body).toMatchObject({
        status: "archived",
        revision: 2,
        model_version: "2.0.0",
      });
      expect(retired.headers.get("etag")).toBeNull();

      expectError(await call("GET", SEED_PUT, { token: admin }), 404, /No active assignment/);
      expect((await revisions()).items.map((r) => [r.revision, r.status])).toEqual([
        [2, "archived"],
        [1, "archived"],
      ]);
      expect(
        (await call<Row>("GET", `/v2/assignments/${first.body.assignment_id}`, { token: admin }))
          .body.status,
      ).toBe("archived");
      const active = await call<Page>("GET", `${service("service-1")}/assignments`, {
        token: admin,
      });
      expect(active.body.items).toEqual([]);

      // Retiring again changes nothing; a later upsert brings it back as revision 3.
      expect((await put({ ...V2, status: "archived" })).body.assignment_id).toBe(
        retired.body.assignment_id,
      );
      expect((await revisions()).items).toHaveLength(2);
      const back = await put(V1);
      expect(back.body).toMatchObject({ status: "active", revision: 3 });
    });

    it("falls back to the domain default once a service override is retired", async () => {
      expect(
        (await call<Row>("GET", `${serviceAssignment("svc-002")}/effective`, { token: admin })).body
          .source,
      ).toBe("service");
      const res = await put({ ...V2, status: "archived" }, serviceAssignment("svc-002"));
      expect(res.status).toBe(200);
      const effective = await call<Row>("GET", `${serviceAssignment("svc-002")}/effective`, {
        token: admin,
      });
      expect(effective.body).toMatchObject({
        source: "domain_default",
        service_id: null,
        model_version: "1.0.0",
      });
    });
  });

  describe("collection POST", () => {
    const collection = `${service("svc-003")}/assignments`;

    it("creates the first revision: 201 with Location, then 409 while it is active", async () => {
      const res = await call<Row>("POST", collection, {
        token: admin,
        body: { assignment_key: "anomaly", ...V1, role: "r" },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("location")).toBe(
        "/v2/clients/client-1/domains/south_australia/service/svc-003/assignments/anomaly",
      );
      expect(res.headers.get("etag")).toBe(`"${res.body.assignment_id}"`);
      expect(res.body).toMatchObject({
        assignment_key: "anomaly",
        service_id: "svc-003",
        revision: 1,
        status: "active",
        role: "r",
        created_by: "alice@example.com",
      });

      const located = await call<Row>("GET", res.headers.get("location")!, { token: admin });
      expect(located.body).toEqual(res.body);

      const again = await call("POST", collection, {
        token: admin,
        body: { assignment_key: "anomaly", ...V1 },
      });
      expectError(again, 409, /"anomaly" already has an active revision/);
      expect((await revisions(`${collection}/anomaly`)).items).toHaveLength(1);
    });

    it("creates a domain default too", async () => {
      const res = await call<Row>("POST", `${DOMAIN}/assignments`, {
        token: admin,
        body: { assignment_key: "anomaly", ...V1 },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("location")).toBe(`${DOMAIN}/assignments/anomaly`);
      expect(res.body).toMatchObject({ service_id: null, assignment_key: "anomaly", revision: 1 });
      expectError(
        await call("POST", `${DOMAIN}/assignments`, {
          token: admin,
          body: { assignment_key: "default", ...V1 },
        }),
        409,
      );
    });

    it("requires assignment_key (400) and creates again after a retire (revision 3)", async () => {
      const missing = await call("POST", collection, { token: admin, body: V1 });
      expectError(missing, 400, /assignment_key/);
      expect(missing.body.issues).toEqual([
        { path: "assignment_key", message: expect.any(String) },
      ]);

      await call("POST", collection, { token: admin, body: { assignment_key: "anomaly", ...V1 } });
      await put({ ...V1, status: "archived" }, `${collection}/anomaly`);
      const recreated = await call<Row>("POST", collection, {
        token: admin,
        body: { assignment_key: "anomaly", ...V1 },
      });
      expect(recreated.status).toBe(201);
      // 1 created, 2 the retirement, 3 the new first active revision.
      expect(recreated.body.revision).toBe(3);
    });
  });

  describe("If-Match", () => {
    it("writes when the ETag matches the active revision", async () => {
      const first = await put(V2);
      const etag = (await call("GET", SEED_PUT, { token: admin })).headers.get("etag")!;
      const res = await put(V1, SEED_PUT, { "if-match": etag });
      expect(res.status).toBe(200);
      expect(res.body.revision).toBe(2);
      expect(res.headers.get("etag")).toBe(`"${res.body.assignment_id}"`);
      expect(res.headers.get("etag")).not.toBe(`"${first.body.assignment_id}"`);
    });

    it("answers 412 for a stale ETag and writes nothing", async () => {
      const first = await put(V2);
      const stale = `"${first.body.assignment_id}"`;
      await put(V1);
      const res = await put({ ...V2, metadata: { lost: "update" } }, SEED_PUT, {
        "if-match": stale,
      });
      expectError(res, 412, /changed since you read it/);
      const list = await revisions();
      expect(list.items.map((r) => [r.revision, r.model_version])).toEqual([
        [2, "1.0.0"],
        [1, "2.0.0"],
      ]);
    });

    it("answers 412 when there is no active revision to match", async () => {
      const res = await put(V2, SEED_PUT, { "if-match": '"00000000-0000-4000-8000-000000000000"' });
      expectError(res, 412);
      expect((await revisions()).items).toEqual([]);
    });
  });

  describe("?dry_run=true", () => {
    it("answers the revision it would create and writes nothing", async () => {
      const before = await put(V2);
      const dry = await call<Row>("PUT", `${SEED_PUT}?dry_run=true`, {
        token: admin,
        body: { ...V1, metadata: { dry: true } },
      });
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({
        revision: 2,
        status: "active",
        model_version: "1.0.0",
        metadata: { dry: true },
        service_id: "service-1",
      });
      expect(dry.body.assignment_id).toMatch(UUID);

      const current = await call<Row>("GET", SEED_PUT, { token: admin });
      expect(current.body).toEqual(before.body);
      expect((await revisions()).items).toHaveLength(1);
      expect(
        await tdb.database.query(`select 1 from audit_log where entity_type = 'assignment'`),
      ).toHaveLength(1);
    });

    it("answers the same 4xx as the real call", async () => {
      const real = await put(V2, serviceAssignment("svc-001"));
      const dry = await call("PUT", `${serviceAssignment("svc-001")}?dry_run=true`, {
        token: admin,
        body: V2,
      });
      expect(dry.status).toBe(422);
      expect(dry.body).toEqual(real.body);
      expectError(
        await call("PUT", `${SEED_PUT}?dry_run=true`, {
          token: admin,
          body: { model_id: "nope", model_version: "1" },
        }),
        422,
        /"nope"/,
      );
    });

    it("does not save service_updates", async () => {
      const res = await call<Row>("PUT", `${serviceAssignment("svc-001")}?dry_run=true`, {
        token: admin,
        body: {
          ...V2,
          service_updates: [{ service_id: "svc-001", static_features: { route: "route-a" } }],
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ revision: 1, model_version: "2.0.0" });
      expect(
        (await call("GET", service("svc-001"), { token: admin })).body.provided_features,
      ).toEqual({ mode: "tram" });
      expectError(
        await call("GET", `${serviceAssignment("svc-001")}/revisions`, { token: admin }),
        404,
      );
    });

    it("dry-runs the collection POST: 201 with Location, nothing stored", async () => {
      const url = `${service("svc-003")}/assignments`;
      const res = await call<Row>("POST", `${url}?dry_run=true`, {
        token: admin,
        body: { assignment_key: "anomaly", ...V1 },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("location")).toBe(`${url}/anomaly`);
      expectError(await call("GET", `${url}/anomaly`, { token: admin }), 404);
    });
  });
});
