// What the console's domain page reads: the services list's feature and compatibility filters and its effective
// assignments, and the domain's assignment keys.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setDatabase } from "@/lib/server/database";
import { call, token } from "../helpers/api";
import {
  DOMAIN,
  expectError,
  resetDemo,
  service,
  serviceAssignment,
  V1,
  V2,
} from "../helpers/demo";
import { loggingDatabase } from "../helpers/statement-log";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Effective = {
  assignment_id: string;
  model_id: string;
  model_version: string;
  source: "service" | "domain_default";
};
type Item = {
  service_id: string;
  status: string;
  provided_features: Record<string, unknown>;
  effective?: Record<string, Effective>;
  compatibility?: { compatible: boolean; missing: string[]; invalid: unknown[] };
};
type Page = { items: Item[]; next_cursor: string | null };
type KeySummary = {
  assignment_key: string;
  domain_default:
    | (Record<string, unknown> & { assignment_id: string; model_id: string; model_version: string })
    | null;
  override_count: number;
};

const ACTIVE = [
  "service-1",
  "svc-001",
  "svc-002",
  "svc-003",
  "svc-004",
  "svc-005",
  "svc-006",
  "svc-007",
  "svc-008",
];

describe.each(DRIVERS)("console services and assignment keys on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "ops@example.com" });
  });
  afterAll(async () => {
    setDatabase(tdb.database);
    await tdb.drop();
  });
  beforeEach(async () => resetDemo(tdb));

  const list = (query: string) =>
    call<Page>("GET", `${DOMAIN}/services?${query}`, { token: admin });
  const ids = async (query: string) => {
    const res = await list(query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((i) => i.service_id);
  };

  describe("feature filters", () => {
    it("key=value matches provided_features[key] as text", async () => {
      expect(await ids("feature=route=route-ohl")).toEqual(["svc-002"]);
      expect(await ids("feature=mode=train")).toEqual(["svc-002", "svc-005", "svc-008", "svc-009"]);
      expect(await ids("feature=mode=train&status=active")).toEqual([
        "svc-002",
        "svc-005",
        "svc-008",
      ]);
      expect(await ids("feature=stops=12")).toEqual(["service-1"]);
      expect(await ids("feature=night_service=true")).toEqual(["svc-007"]);
      expect(await ids("feature=night_service=yes")).toEqual(["svc-006"]);
      expect(await ids("feature=route=nowhere")).toEqual([]);
      // Values may contain "=", and are percent-decoded.
      expect(await ids(`feature=${encodeURIComponent("route=route-99c")}`)).toEqual(["svc-004"]);
    });

    it("key= matches a missing (or null) key", async () => {
      expect(await ids("feature=route=")).toEqual(["svc-001", "svc-003", "svc-006", "svc-009"]);
      expect(await ids("feature=route=&status=active")).toEqual(["svc-001", "svc-003", "svc-006"]);
      await tdb.database.query(
        `update services set provided_features = provided_features || '{"route": null}' where id = 'svc-004'`,
      );
      expect(await ids("feature=route=&status=active")).toEqual([
        "svc-001",
        "svc-003",
        "svc-004",
        "svc-006",
      ]);
    });

    it("different keys must all match; several values of one key match any", async () => {
      expect(await ids("feature=mode=bus&feature=route=")).toEqual(["svc-003", "svc-006"]);
      expect(await ids("feature=mode=tram&feature=mode=ferry")).toEqual(["svc-001", "svc-007"]);
      expect(await ids("feature=route=&feature=route=route-b")).toEqual([
        "service-1",
        "svc-001",
        "svc-003",
        "svc-006",
        "svc-009",
      ]);
      expect(await ids("feature=mode=bus&q=o-bahn")).toEqual(["svc-003"]);
    });

    it("pages filtered results by id", async () => {
      const p1 = await list("feature=mode=train&limit=2");
      expect(p1.body.items.map((i) => i.service_id)).toEqual(["svc-002", "svc-005"]);
      const p2 = await list(`feature=mode=train&limit=2&cursor=${p1.body.next_cursor}`);
      expect(p2.body.items.map((i) => i.service_id)).toEqual(["svc-008", "svc-009"]);
      expect(p2.body.next_cursor).toBeNull();
    });

    it("400 for a filter without key=", async () => {
      const res = await call("GET", `${DOMAIN}/services?feature=route`, { token: admin });
      expectError(res, 400, /Invalid query parameter: feature\.0: use "key=value"/);
      expect(res.body.issues).toEqual([
        { path: "feature.0", message: expect.stringMatching(/key=value/) },
      ]);
      expectError(await list("feature==x"), 400, /feature/);
      expectError(await list("feature=mode=bus&feature=oops"), 400, /feature\.1/);
    });
  });

  describe("compatible_with", () => {
    it("adds each service's compatibility with the version's contract", async () => {
      const res = await list("compatible_with=example-model@2.0.0&status=active");
      expect(res.status).toBe(200);
      const byId = Object.fromEntries(res.body.items.map((i) => [i.service_id, i.compatibility]));
      expect(Object.keys(byId)).toEqual(ACTIVE);
      expect(byId["service-1"]).toEqual({ compatible: true, missing: [], invalid: [] });
      expect(byId["svc-001"]).toEqual({ compatible: false, missing: ["route"], invalid: [] });
      expect(byId["svc-006"]).toEqual({
        compatible: false,
        missing: ["route"],
        invalid: [{ key: "night_service", expected: "boolean", got: '"yes"' }],
      });
      expect(res.body.items[0]).not.toHaveProperty("effective");
      // Without it, no compatibility.
      expect((await list("limit=1")).body.items[0]).not.toHaveProperty("compatibility");
    });

    it("compatible=false lists exactly the services lacking route for example-model@2.0.0", async () => {
      expect(
        await ids("compatible_with=example-model@2.0.0&compatible=false&status=active"),
      ).toEqual(["svc-001", "svc-003", "svc-006"]);
      // The departed one too when asked for every status.
      expect(await ids("compatible_with=example-model@2.0.0&compatible=false")).toEqual([
        "svc-001",
        "svc-003",
        "svc-006",
        "svc-009",
      ]);
      expect(
        await ids("compatible_with=example-model@2.0.0&compatible=true&status=active"),
      ).toEqual(ACTIVE.filter((id) => !["svc-001", "svc-003", "svc-006"].includes(id)));
      expect(await ids("compatible_with=example-model@1.0.0&compatible=false")).toEqual([]);
      // Combined with the other filters.
      expect(
        await ids("compatible_with=example-model@2.0.0&compatible=false&feature=mode=bus"),
      ).toEqual(["svc-003", "svc-006"]);
      expect(await ids("compatible_with=example-model@2.0.0&compatible=true&q=line")).toEqual([
        "svc-002",
        "svc-005",
        "svc-008",
      ]);
    });

    it("pages the compatibility-filtered list by id", async () => {
      const query = "compatible_with=example-model@2.0.0&compatible=false&status=active&limit=2";
      const p1 = await list(query);
      expect(p1.body.items.map((i) => [i.service_id, i.compatibility?.compatible])).toEqual([
        ["svc-001", false],
        ["svc-003", false],
      ]);
      expect(p1.body.next_cursor).toEqual(expect.any(String));
      const p2 = await list(`${query}&cursor=${p1.body.next_cursor}`);
      expect(p2.body.items.map((i) => i.service_id)).toEqual(["svc-006"]);
      expect(p2.body.next_cursor).toBeNull();
      const exact = await list(
        "compatible_with=example-model@2.0.0&compatible=false&status=active&limit=3",
      );
      expect(exact.body.items).toHaveLength(3);
      expect(exact.body.next_cursor).toBeNull();
    });

    it("422 for a model or version the registry lacks; 400 for malformed parameters; 404 for an unknown domain", async () => {
      expectError(
        await list("compatible_with=example-model@9.9.9"),
        422,
        /version "9\.9\.9" of model "example-model".*does not have/,
      );
      expectError(
        await list("compatible_with=nope@1.0.0&compatible=false"),
        422,
        /model "nope", which is not in the registry/,
      );
      expectError(
        await list("compatible_with=example-model"),
        400,
        /compatible_with: use "<model_id>@<version>"/,
      );
      expectError(await list("compatible_with=a@b@c"), 400, /compatible_with/);
      expectError(await list("compatible=false"), 400, /also pass compatible_with/);
      expectError(
        await list("compatible_with=example-model@2.0.0&compatible=maybe"),
        400,
        /compatible/,
      );
      expectError(
        await call(
          "GET",
          "/v2/clients/client-1/domains/nowhere/services?compatible_with=example-model@2.0.0&compatible=false",
          { token: admin },
        ),
        404,
        /Domain "nowhere"/,
      );
      expectError(
        await call("GET", "/v2/clients/client-1/domains/nowhere/services?compatible_with=x@1", {
          token: admin,
        }),
        404,
        /Domain "nowhere"/,
      );
    });
  });

  describe("include=effective", () => {
    it("shows svc-002's own override and the domain defaults elsewhere", async () => {
      const res = await list("include=effective&status=active");
      expect(res.status).toBe(200);
      const byId = Object.fromEntries(res.body.items.map((i) => [i.service_id, i.effective]));
      const defaults = await call<{ items: KeySummary[] }>("GET", `${DOMAIN}/assignment-keys`, {
        token: admin,
      });
      const dflt = Object.fromEntries(
        defaults.body.items.map((k) => [k.assignment_key, k.domain_default!]),
      );
      const [own] = await tdb.database.query<{ assignment_id: string }>(
        `select assignment_id from assignments where scope = 'svc-002' and status = 'active'`,
      );
      expect(byId["svc-002"]).toEqual({
        default: {
          assignment_id: own!.assignment_id,
          model_id: "example-model",
          model_version: "2.0.0",
          source: "service",
          pinned_by: null,
        },
        eta: {
          assignment_id: dflt.eta!.assignment_id,
          model_id: "eta-model",
          model_version: "1.0.0",
          source: "domain_default",
          pinned_by: null,
        },
      });
      for (const id of ACTIVE.filter((s) => s !== "svc-002")) {
        expect(byId[id], id).toEqual({
          default: {
            assignment_id: dflt.default!.assignment_id,
            model_id: "example-model",
            model_version: "1.0.0",
            source: "domain_default",
            pinned_by: null,
          },
          eta: {
            assignment_id: dflt.eta!.assignment_id,
            model_id: "eta-model",
            model_version: "1.0.0",
            source: "domain_default",
            pinned_by: null,
          },
        });
      }
      expect(Object.keys(byId["svc-002"]!)).toEqual(["default", "eta"]);
    });

    it("a departed service runs nothing: its effective map is empty, as GET …/effective says", async () => {
      const res = await list("include=effective&status=all");
      expect(res.status).toBe(200);
      const byId = Object.fromEntries(res.body.items.map((i) => [i.service_id, i]));
      expect(byId["svc-009"]).toMatchObject({ status: "departed", effective: {} });
      expect(Object.keys(byId["svc-001"]!.effective!)).toEqual(["default", "eta"]);
      const departed = await list("include=effective&status=departed");
      expect(departed.body.items.map((i) => [i.service_id, i.effective])).toEqual([
        ["svc-009", {}],
      ]);
    });

    it("follows changes: a new override, and keys only some services have", async () => {
      expect(
        (await call("PUT", serviceAssignment("svc-007", "pricing"), { token: admin, body: V1 }))
          .status,
      ).toBe(200);
      const res = await list("include=effective&q=svc-00&limit=8");
      const byId = Object.fromEntries(res.body.items.map((i) => [i.service_id, i.effective]));
      expect(Object.keys(byId["svc-007"]!)).toEqual(["default", "eta", "pricing"]);
      expect(byId["svc-007"]!.pricing).toMatchObject({ model_version: "1.0.0", source: "service" });
      expect(Object.keys(byId["svc-001"]!)).toEqual(["default", "eta"]);
      // A domain with no assignments: an empty object per service.
      const tas = await call<Page>(
        "GET",
        "/v2/clients/client-1/domains/victoria/services?include=effective",
        { token: admin },
      );
      expect(tas.body.items.map((i) => i.effective)).toEqual([{}]);
    });

    it("combines with compatible_with", async () => {
      const res = await list(
        "include=effective&compatible_with=example-model@2.0.0&compatible=true&feature=mode=train&status=active",
      );
      expect(
        res.body.items.map((i) => [
          i.service_id,
          i.effective?.default?.source,
          i.compatibility?.compatible,
        ]),
      ).toEqual([
        ["svc-002", "service", true],
        ["svc-005", "domain_default", true],
        ["svc-008", "domain_default", true],
      ]);
    });

    it("reads the effective assignments of a whole page in one query", async () => {
      const seen: string[] = [];
      setDatabase(loggingDatabase(tdb.database, (text) => seen.push(text)));
      try {
        const assignmentQueries = () => seen.filter((t) => /from assignments/.test(t)).length;
        expect((await list("limit=100")).status).toBe(200);
        expect(assignmentQueries()).toBe(0);
        const res = await list("include=effective&limit=100");
        expect(res.body.items).toHaveLength(10);
        expect(assignmentQueries()).toBe(1);
        seen.length = 0;
        await list("include=effective&compatible_with=example-model@2.0.0&compatible=false");
        expect(seen.filter((t) => /from services/.test(t))).toHaveLength(1);
        expect(assignmentQueries()).toBe(1);
      } finally {
        setDatabase(tdb.database);
      }
    });

    it("400 for an unknown include", async () => {
      expectError(await list("include=everything"), 400, /include/);
    });
  });

  describe("GET .../assignment-keys", () => {
    it("lists the demo's keys with their domain defaults and override counts", async () => {
      const res = await call<{ items: KeySummary[] }>("GET", `${DOMAIN}/assignment-keys`, {
        token: admin,
      });
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((k) => [
          k.assignment_key,
          k.domain_default?.model_id,
          k.domain_default?.model_version,
          k.override_count,
        ]),
      ).toEqual([
        ["default", "example-model", "1.0.0", 1],
        ["eta", "eta-model", "1.0.0", 0],
      ]);
      const dflt = await call<Record<string, unknown>>("GET", `${DOMAIN}/assignments/default`, {
        token: admin,
      });
      expect(res.body.items[0]!.domain_default).toEqual(dflt.body);
    });

    it("counts active overrides only, and lists keys that only services assign", async () => {
      expect(
        (await call("PUT", serviceAssignment("service-1", "pricing"), { token: admin, body: V1 }))
          .status,
      ).toBe(200);
      expect(
        (await call("PUT", serviceAssignment("svc-005", "pricing"), { token: admin, body: V2 }))
          .status,
      ).toBe(200);
      expect(
        (await call("PUT", serviceAssignment("svc-004", "default"), { token: admin, body: V2 }))
          .status,
      ).toBe(200);
      // A new revision of svc-002's override archives the old one: still one override for svc-002.
      expect(
        (
          await call("PUT", serviceAssignment("svc-002", "default"), {
            token: admin,
            body: { ...V2, settings: { a: 1 } },
          })
        ).status,
      ).toBe(200);
      // Archiving svc-005's pricing leaves one active pricing override.
      expect(
        (
          await call("PUT", serviceAssignment("svc-005", "pricing"), {
            token: admin,
            body: { ...V2, status: "archived" },
          })
        ).status,
      ).toBe(200);
      const res = await call<{ items: KeySummary[] }>("GET", `${DOMAIN}/assignment-keys`, {
        token: admin,
      });
      expect(
        res.body.items.map((k) => [
          k.assignment_key,
          k.domain_default?.model_version ?? null,
          k.override_count,
        ]),
      ).toEqual([
        ["default", "1.0.0", 2],
        ["eta", "1.0.0", 0],
        ["pricing", null, 1],
      ]);
      expect(res.body.items[2]!.domain_default).toBeNull();
    });

    it("an empty list for a domain without assignments; 404 for an unknown domain or client; 403 without the scope", async () => {
      expect(
        (
          await call("GET", "/v2/clients/client-1/domains/victoria/assignment-keys", {
            token: admin,
          })
        ).body,
      ).toEqual({ items: [] });
      expectError(
        await call("GET", "/v2/clients/client-1/domains/nowhere/assignment-keys", { token: admin }),
        404,
        /Domain "nowhere"/,
      );
      expectError(
        await call("GET", "/v2/clients/nobody/domains/x/assignment-keys", { token: admin }),
        404,
        /Client "nobody"/,
      );
      const servicesOnly = await token({ scopes: ["services:read"] });
      expectError(
        await call("GET", `${DOMAIN}/assignment-keys`, { token: servicesOnly }),
        403,
        /assignments:read/,
      );
      const otherClient = await token({ scopes: ["assignments:read"], clients: ["client-2"] });
      expectError(
        await call("GET", `${DOMAIN}/assignment-keys`, { token: otherClient }),
        403,
        /client "client-1"/,
      );
      expectError(await call("POST", `${DOMAIN}/assignment-keys`, { token: admin, body: {} }), 405);
    });
  });

  it("the plain list is unchanged", async () => {
    const res = await list("status=active&limit=3");
    expect(res.body.items.map((i) => Object.keys(i).sort())).toEqual(
      Array(3).fill([
        "client_id",
        "created_at",
        "domain_id",
        "name",
        "provided_features",
        "service_id",
        "status",
        "updated_at",
      ]),
    );
    expect(res.body.next_cursor).toEqual(expect.any(String));
    expect((await call("GET", service("svc-001"), { token: admin })).status).toBe(200);
  });
});
