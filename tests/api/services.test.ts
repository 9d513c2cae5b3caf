// Services: the paginated list, one service, POST to add one, and PATCH (merge provided_features, null
// removes, rename, depart), refused when it would break a model version assigned to the service.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import {
  DOMAIN,
  expectError,
  ISO,
  resetDemo,
  service,
  serviceAssignment,
  V1,
  V2,
} from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type ServiceRow = Record<string, unknown> & {
  client_id: string;
  domain_id: string;
  service_id: string;
  name: string | null;
  provided_features: Record<string, unknown>;
  status: string;
  created_at: string;
  updated_at: string;
};
type Page = { items: ServiceRow[]; next_cursor: string | null };

const DEMO_IDS = [
  "service-1",
  "svc-001",
  "svc-002",
  "svc-003",
  "svc-004",
  "svc-005",
  "svc-006",
  "svc-007",
  "svc-008",
  "svc-009",
];

describe.each(DRIVERS)("services on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "svc-admin" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const patch = (id: string, body: unknown) =>
    call<ServiceRow>("PATCH", service(id), { token: admin, body });
  const get = (id: string) => call<ServiceRow>("GET", service(id), { token: admin });

  describe("list", () => {
    it("lists the domain's services with features and status", async () => {
      const res = await call<Page>("GET", `${DOMAIN}/services`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.next_cursor).toBeNull();
      expect(res.body.items.map((s) => s.service_id)).toEqual(DEMO_IDS);
      expect(res.body.items[0]).toEqual({
        client_id: "client-1",
        domain_id: "south_australia",
        service_id: "service-1",
        name: "Adelaide Metro North",
        provided_features: { route: "route-b", mode: "bus", stops: 12 },
        status: "active",
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
      });
      expect(res.body.items.find((s) => s.service_id === "svc-009")).toMatchObject({
        status: "departed",
      });
    });

    it("filters by status and by a search term", async () => {
      const departed = await call<Page>("GET", `${DOMAIN}/services?status=departed`, {
        token: admin,
      });
      expect(departed.body.items.map((s) => s.service_id)).toEqual(["svc-009"]);
      const active = await call<Page>("GET", `${DOMAIN}/services?status=active`, { token: admin });
      expect(active.body.items).toHaveLength(9);
      const search = await call<Page>("GET", `${DOMAIN}/services?q=LINE`, { token: admin });
      expect(search.body.items.map((s) => s.service_id)).toEqual([
        "svc-002",
        "svc-005",
        "svc-008",
        "svc-009",
      ]);
      expectError(
        await call("GET", `${DOMAIN}/services?status=gone`, { token: admin }),
        400,
        /status/,
      );
    });

    it("pages with an opaque cursor over services added with POST", async () => {
      for (let i = 1; i <= 5; i++) {
        const res = await call<ServiceRow>("POST", `${DOMAIN}/services`, {
          token: admin,
          body: { service_id: `zz-${i}`, name: `Extra ${i}`, provided_features: { mode: "bus" } },
        });
        expect(res.status).toBe(201);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `${DOMAIN}/services?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
        const res = await call<Page>("GET", url, { token: admin });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(4);
        seen.push(...res.body.items.map((s) => s.service_id));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      expect(seen).toEqual([...DEMO_IDS, "zz-1", "zz-2", "zz-3", "zz-4", "zz-5"]);
    });

    it("400 for a bad cursor or limit; 404 for an unknown domain", async () => {
      expectError(
        await call("GET", `${DOMAIN}/services?cursor=not-a-cursor`, { token: admin }),
        400,
        /cursor/,
      );
      expectError(await call("GET", `${DOMAIN}/services?limit=0`, { token: admin }), 400, /limit/);
      expectError(
        await call("GET", `${DOMAIN}/services?limit=abc`, { token: admin }),
        400,
        /limit/,
      );
      expectError(
        await call("GET", "/v2/clients/client-1/domains/atlantis/services", { token: admin }),
        404,
        /"atlantis"/,
      );
    });
  });

  describe("create", () => {
    it("201 with Location; 409 when it exists", async () => {
      const res = await call<ServiceRow>("POST", `${DOMAIN}/services`, {
        token: admin,
        body: {
          service_id: "svc-010",
          name: "Tonsley Line",
          provided_features: { route: "route-ton", mode: "train", stops: null },
        },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("location")).toBe(`${DOMAIN}/service/svc-010`);
      expect(res.body).toMatchObject({
        service_id: "svc-010",
        name: "Tonsley Line",
        status: "active",
        provided_features: { route: "route-ton", mode: "train" },
      });
      expect((await get("svc-010")).body).toEqual(res.body);
      expectError(
        await call("POST", `${DOMAIN}/services`, { token: admin, body: { service_id: "svc-010" } }),
        409,
        /already exists/,
      );
    });

    it("422 when the new service can't run the domain default", async () => {
      const res = await call("POST", `${DOMAIN}/services`, {
        token: admin,
        body: { service_id: "svc-011", provided_features: { stops: "many" } },
      });
      expectError(res, 422, /svc-011/);
      expect(res.body.blocking_services).toEqual([
        {
          service_id: "svc-011",
          missing: [],
          invalid: [{ key: "stops", expected: "integer", got: '"many"' }],
        },
      ]);
      expectError(await get("svc-011"), 404);
    });

    it("422 in an inactive domain; 400 for a bad id", async () => {
      expectError(
        await call("POST", "/v2/clients/client-1/domains/victoria/services", {
          token: admin,
          body: { service_id: "svc-102" },
        }),
        422,
        /not active/,
      );
      const bad = await call("POST", `${DOMAIN}/services`, {
        token: admin,
        body: { service_id: "bad id" },
      });
      expectError(bad, 400, /service_id/);
      expect(bad.body.issues).toEqual([{ path: "service_id", message: expect.any(String) }]);
    });
  });

  describe("PATCH", () => {
    it("merges provided_features; null removes a key; name changes", async () => {
      const before = (await get("svc-004")).body;
      const res = await patch("svc-004", {
        name: "City Loop (CBD)",
        provided_features: { stops: 5, night_service: null, route: "route-99" },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...before,
        name: "City Loop (CBD)",
        provided_features: { route: "route-99", mode: "bus", stops: 5 },
        updated_at: expect.stringMatching(ISO),
      });
      expect((await get("svc-004")).body).toEqual(res.body);
      const audit = await tdb.database.query<{
        actor: string;
        action: string;
        before: Record<string, unknown>;
        after: Record<string, unknown>;
      }>(`select actor, action, before, after from audit_log where entity_type = 'service'`);
      expect(audit).toEqual([
        {
          actor: "svc-admin",
          action: "service.patch",
          before,
          after: expect.objectContaining({ provided_features: res.body.provided_features }),
        },
      ]);
    });

    it("a patch that changes nothing returns the service unchanged", async () => {
      const before = (await get("svc-004")).body;
      const res = await patch("svc-004", {
        provided_features: { route: "route-99c", unknown_key: null },
      });
      expect(res.body).toEqual(before);
      expect(await tdb.database.query(`select 1 from audit_log`)).toEqual([]);
    });

    it("?dry_run=true answers the patched service and saves nothing", async () => {
      const before = (await get("svc-004")).body;
      const res = await call<ServiceRow>("PATCH", `${service("svc-004")}?dry_run=true`, {
        token: admin,
        body: { provided_features: { stops: 3 } },
      });
      expect(res.status).toBe(200);
      expect(res.body.provided_features).toMatchObject({ stops: 3 });
      expect((await get("svc-004")).body).toEqual(before);
    });

    it("422 with blocking_services when the patch breaks an assigned contract, nothing saved", async () => {
      // svc-002 runs its own example-model 2.0.0, which needs route.
      const res = await patch("svc-002", { provided_features: { route: null } });
      expectError(res, 422, /"svc-002".*missing route/);
      expect(res.body.blocking_services).toEqual([
        { service_id: "svc-002", missing: ["route"], invalid: [] },
      ]);
      expect((await get("svc-002")).body.provided_features).toEqual({
        route: "route-ohl",
        mode: "train",
        stops: 22,
      });

      // service-1 runs the domain default 1.0.0: stops must be an integer, mode one of the enum.
      const mistyped = await patch("service-1", {
        provided_features: { stops: "ten", mode: "rocket" },
      });
      expectError(mistyped, 422);
      expect(mistyped.body.blocking_services).toEqual([
        {
          service_id: "service-1",
          missing: [],
          invalid: [
            { key: "stops", expected: "integer", got: '"ten"' },
            { key: "mode", expected: "one of: bus, tram, train, ferry", got: '"rocket"' },
          ],
        },
      ]);
    });

    it("keys no contract defines are allowed", async () => {
      const res = await patch("svc-001", { provided_features: { colour: "green", seats: 40 } });
      expect(res.status).toBe(200);
      expect(res.body.provided_features).toEqual({ mode: "tram", colour: "green", seats: 40 });
    });

    it("departs a service: kept for history, never validated, can't be patched or assigned", async () => {
      const res = await patch("svc-001", { status: "departed" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        service_id: "svc-001",
        status: "departed",
        provided_features: { mode: "tram" },
      });
      expect((await get("svc-001")).body.status).toBe("departed");

      expectError(
        await patch("svc-001", { name: "Back" }),
        422,
        /"svc-001" has departed.*can't be patched/,
      );
      expectError(await patch("svc-001", { provided_features: { route: "r" } }), 422, /departed/);
      expectError(
        await call("PUT", serviceAssignment("svc-001"), { token: admin, body: V1 }),
        422,
        /departed/,
      );

      // It no longer blocks a domain default move, and the domain's active count drops.
      const domain = await call<{ service_count: number }>("GET", DOMAIN, { token: admin });
      expect(domain.body.service_count).toBe(8);
      const moved = await call("PUT", DOMAIN_DEFAULT, { token: admin, body: V2 });
      expect(moved.body.blocking_services).toEqual([
        { service_id: "svc-003", missing: ["route"], invalid: [] },
        expect.objectContaining({ service_id: "svc-006" }),
      ]);
    });

    it("400 for an unknown status, a non-object features value, or unknown fields", async () => {
      expectError(await patch("svc-004", { status: "active" }), 400, /status/);
      expectError(
        await patch("svc-004", { provided_features: ["route"] }),
        400,
        /provided_features/,
      );
      expectError(await patch("svc-004", { colour: "red" }), 400, /colour/);
    });

    it("404 for an unknown service; 422 in an inactive domain", async () => {
      expectError(await patch("svc-404", { name: "x" }), 404, /"svc-404" not found/);
      expectError(
        await call("PATCH", "/v2/clients/client-1/domains/atlantis/service/svc-001", {
          token: admin,
          body: { name: "x" },
        }),
        404,
        /"atlantis"/,
      );
      expectError(
        await call("PATCH", "/v2/clients/client-1/domains/victoria/service/svc-101", {
          token: admin,
          body: { name: "x" },
        }),
        422,
        /not active/,
      );
      expect(
        (
          await call("GET", "/v2/clients/client-1/domains/victoria/service/svc-101", {
            token: admin,
          })
        ).status,
      ).toBe(200);
    });
  });

  describe("tenancy reads", () => {
    it("lists clients and domains", async () => {
      const clients = await call<{ items: { client_id: string }[] }>("GET", "/v2/clients", {
        token: admin,
      });
      expect(clients.body.items.map((c) => c.client_id)).toEqual(["client-1", "client-2"]);
      const domains = await call<{
        items: { domain_id: string; status: string; service_count: number }[];
      }>("GET", "/v2/clients/client-1/domains", { token: admin });
      expect(domains.body.items.map((d) => [d.domain_id, d.status, d.service_count])).toEqual([
        ["south_australia", "active", 9],
        ["victoria", "inactive", 1],
        ["western_australia", "active", 3],
      ]);
      expectError(
        await call("GET", "/v2/clients/client-9/domains", { token: admin }),
        404,
        /"client-9"/,
      );
      expectError(
        await call("GET", "/v2/clients/client-1/domains/atlantis", { token: admin }),
        404,
        /"atlantis"/,
      );
    });

    it("an admin can add a domain, and services and assignments in it", async () => {
      const created = await call("POST", "/v2/clients/client-1/domains", {
        token: admin,
        body: { domain_id: "queensland", name: "Queensland" },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get("location")).toBe("/v2/clients/client-1/domains/queensland");
      expect(created.body).toMatchObject({
        domain_id: "queensland",
        status: "active",
        service_count: 0,
      });
      expect(
        (
          await call("POST", "/v2/clients/client-1/domains/queensland/services", {
            token: admin,
            body: { service_id: "q-1" },
          })
        ).status,
      ).toBe(201);
      const put = await call(
        "PUT",
        "/v2/clients/client-1/domains/queensland/service/q-1/assignments/default",
        { token: admin, body: V1 },
      );
      expect(put).toMatchObject({
        status: 200,
        body: { domain_id: "queensland", service_id: "q-1", revision: 1 },
      });
      expectError(
        await call("POST", "/v2/clients/client-1/domains", {
          token: admin,
          body: { domain_id: "queensland" },
        }),
        409,
      );
    });
  });
});
