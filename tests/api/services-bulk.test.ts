// PATCH …/services: many services' patches in one write, all or nothing. Each item is checked as the single PATCH
// checks it (unknown or departed service, the contracts of the versions assigned to it, the change policy); a bad
// item refuses the whole write and names it; 10,000 items go in one request with a fixed number of statements.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setDatabase } from "@/lib/server/database";
import { call, token } from "../helpers/api";
import { CLIENT, DOMAIN, expectError, resetDemo, service } from "../helpers/demo";
import { loggingDatabase } from "../helpers/statement-log";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type ServiceRow = {
  service_id: string;
  name: string | null;
  provided_features: Record<string, unknown>;
  status: string;
  updated_at: string;
};
type Result = {
  dry_run: boolean;
  updated: number;
  unchanged: number;
  items: { service_id: string; outcome: "updated" | "unchanged"; service: ServiceRow }[];
};
type Refusal = {
  message: string;
  blocking_services?: { service_id: string; missing: string[]; invalid: { key: string }[] }[];
  change_request_route?: string;
};
type Change = { kind: string; action: string; service_id?: string; actor: string };

const SERVICES = `${DOMAIN}/services`;
const METRO = `${CLIENT}/domains/metro`;
const id = (i: number) => `m-${String(i).padStart(5, "0")}`;

describe.each(DRIVERS)("bulk service patch on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "bulk-admin" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const bulk = (
    body: unknown,
    opts: { url?: string; tok?: string; headers?: Record<string, string> } = {},
  ) =>
    call<Result & Refusal>("PATCH", opts.url ?? SERVICES, {
      token: opts.tok ?? admin,
      body,
      headers: opts.headers,
    });
  const features = async (serviceId: string) =>
    (await call<ServiceRow>("GET", service(serviceId), { token: admin })).body.provided_features;
  const auditCount = async (action = "service.patch") =>
    (
      await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from audit_log where action = $1`,
        [action],
      )
    )[0]!.n;
  /** Every service's features: what "nothing was written" compares. */
  const snapshot = async () =>
    tdb.database.query(
      `select client_id, domain_id, id, name, provided_features, status, updated_at from services order by client_id, domain_id, id`,
    );

  it("patches several services in one write: merged features, rename, depart; one audit entry and one change each", async () => {
    const before = (
      await call<{ next_cursor: string }>("GET", `${DOMAIN}/changes?after=latest`, { token: admin })
    ).body.next_cursor;
    const res = await bulk({
      items: [
        { service_id: "svc-001", provided_features: { route: "route-gt", stops: 9 } },
        {
          service_id: "service-1",
          name: "Adelaide Metro North (A)",
          provided_features: { stops: null },
        },
        { service_id: "svc-003", status: "departed" },
        { service_id: "svc-005", provided_features: { mode: "train" } },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.dry_run).toBe(false);
    expect(res.body.updated).toBe(3);
    expect(res.body.unchanged).toBe(1);
    expect(res.body.items.map((i) => [i.service_id, i.outcome])).toEqual([
      ["svc-001", "updated"],
      ["service-1", "updated"],
      ["svc-003", "updated"],
      ["svc-005", "unchanged"],
    ]);
    expect(res.body.items[0]!.service.provided_features).toEqual({
      mode: "tram",
      route: "route-gt",
      stops: 9,
    });
    expect(res.body.items[1]!.service).toMatchObject({
      name: "Adelaide Metro North (A)",
      provided_features: { route: "route-b", mode: "bus" },
    });
    expect(res.body.items[2]!.service.status).toBe("departed");

    // What a later read shows is what the answer said.
    expect(await features("svc-001")).toEqual({ mode: "tram", route: "route-gt", stops: 9 });
    expect(await features("service-1")).toEqual({ route: "route-b", mode: "bus" });

    // One audit entry per changed service, as the single PATCH writes them (before: the row; after: the row).
    const audit = await tdb.database.query<{
      action: string;
      entity_id: string;
      actor: string;
      before: { provided_features: unknown };
      after: { provided_features: unknown };
    }>(
      `select action, entity_id, actor, before, after from audit_log where entity_type = 'service' order by id`,
    );
    expect(audit.map((a) => [a.action, a.entity_id, a.actor]).sort()).toEqual([
      ["service.depart", "client-1/south_australia/svc-003", "bulk-admin"],
      ["service.patch", "client-1/south_australia/service-1", "bulk-admin"],
      ["service.patch", "client-1/south_australia/svc-001", "bulk-admin"],
    ]);
    const svc001 = audit.find((a) => a.entity_id.endsWith("/svc-001"))!;
    expect(svc001.before.provided_features).toEqual({ mode: "tram" });
    expect(svc001.after.provided_features).toEqual({ mode: "tram", route: "route-gt", stops: 9 });

    // The change feed has one service change per changed service.
    const changes = await call<{ items: Change[] }>("GET", `${DOMAIN}/changes?after=${before}`, {
      token: admin,
    });
    expect(
      changes.body.items
        .filter((c) => c.kind === "service")
        .map((c) => c.service_id)
        .sort(),
    ).toEqual(["service-1", "svc-001", "svc-003"]);
  });

  it("refuses the whole write when one item would break a version assigned to its service, naming it", async () => {
    const before = await snapshot();
    // svc-002 runs its own 2.0.0, which requires route; svc-001's stops must be an integer under 1.0.0.
    const res = await bulk({
      items: [
        { service_id: "svc-004", provided_features: { stops: 3 } },
        { service_id: "svc-002", provided_features: { route: null } },
        { service_id: "svc-001", provided_features: { stops: "many" } },
      ],
    });
    expectError(res, 422, /2 services would no longer satisfy/);
    expect(res.body.message).toMatch(/svc-002 \(missing route\)/);
    expect(res.body.message).toMatch(/svc-001 \(stops should be integer/);
    expect(res.body.blocking_services!.map((b) => b.service_id)).toEqual(["svc-002", "svc-001"]);
    expect(await snapshot()).toEqual(before);
    expect(await auditCount()).toBe(0);

    // One bad item: the single PATCH's own message.
    const one = await bulk({
      items: [
        { service_id: "svc-004", provided_features: { stops: 3 } },
        { service_id: "svc-002", provided_features: { route: null } },
      ],
    });
    expectError(one, 422, /service "svc-002" would no longer satisfy/);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses unknown and departed services by name, and writes nothing", async () => {
    const before = await snapshot();
    const unknown = await bulk({
      items: [
        { service_id: "svc-004", provided_features: { stops: 3 } },
        { service_id: "svc-404", provided_features: { stops: 3 } },
      ],
    });
    expectError(
      unknown,
      422,
      /Service not in domain "south_australia": "svc-404"\. Nothing was written/,
    );
    const departed = await bulk({
      items: [
        { service_id: "svc-004", provided_features: { stops: 3 } },
        { service_id: "svc-009", name: "Belair" },
      ],
    });
    expectError(departed, 422, /Service "svc-009" has departed domain "south_australia"/);
    expect(await snapshot()).toEqual(before);
    expect(await auditCount()).toBe(0);
  });

  it("keeps to the caller's clients and the path's domain", async () => {
    const before = await snapshot();
    const other = await token({ sub: "client-2-admin", scopes: ["admin"], clients: ["client-2"] });
    const outside = await bulk(
      { items: [{ service_id: "svc-004", provided_features: { stops: 3 } }] },
      { tok: other },
    );
    expect([403, 404]).toContain(outside.status);
    expectError(outside, outside.status);
    // client-2's domain through client-1's path is not found, and a service of another domain is unknown here.
    expectError(
      await bulk(
        { items: [{ service_id: "svc-004", provided_features: { stops: 3 } }] },
        { url: `${CLIENT}/domains/tasmania/services` },
      ),
      404,
      /Domain "tasmania" not found in client "client-1"/,
    );
    expectError(
      await bulk(
        { items: [{ service_id: "svc-004", provided_features: { stops: 3 } }] },
        { url: `${CLIENT}/domains/victoria/services` },
      ),
      422,
      /Domain "victoria" is not active/,
    );
    const reader = await token({ sub: "reader", scopes: ["services:read"], clients: ["client-1"] });
    expectError(
      await bulk(
        { items: [{ service_id: "svc-004", provided_features: { stops: 3 } }] },
        { tok: reader },
      ),
      403,
      /services:write/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("answers a dry run with what the write would do and writes nothing", async () => {
    const before = await snapshot();
    const body = {
      items: [
        { service_id: "svc-001", provided_features: { route: "route-gt" } },
        { service_id: "svc-004", provided_features: { stops: 3 } },
      ],
    };
    const dry = await bulk(body, { url: `${SERVICES}?dry_run=true` });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ dry_run: true, updated: 2, unchanged: 0 });
    expect(dry.body.items[0]!.service.provided_features).toEqual({
      mode: "tram",
      route: "route-gt",
    });
    expect(await snapshot()).toEqual(before);
    expect(await auditCount()).toBe(0);
    // A dry run that would be refused is refused the same way.
    expectError(
      await bulk(
        { items: [{ service_id: "svc-002", provided_features: { route: null } }] },
        { url: `${SERVICES}?dry_run=true` },
      ),
      422,
      /svc-002/,
    );
  });

  it("follows the domain's change policy: 403 naming the change-request route, dry runs and bypass allowed", async () => {
    expect(
      (
        await call("PATCH", DOMAIN, {
          token: admin,
          body: { change_policy: { required_approvals: 1 } },
        })
      ).status,
    ).toBe(200);
    const before = await snapshot();
    const body = { items: [{ service_id: "svc-004", provided_features: { stops: 3 } }] };
    const refused = await bulk(body);
    expectError(refused, 403, /requires 1 approval.*\/v2\/clients\/client-1\/change-requests/);
    expect(refused.body.change_request_route).toBe("/v2/clients/client-1/change-requests");
    expect(await snapshot()).toEqual(before);

    const dry = await bulk(body, { url: `${SERVICES}?dry_run=true` });
    expect(dry.status).toBe(200);
    expect(await snapshot()).toEqual(before);

    const limited = await token({ sub: "limited", scopes: ["admin"], clients: ["client-1"] });
    expectError(
      await bulk(body, { tok: limited, headers: { "x-approval-bypass": "incident" } }),
      403,
      /X-Approval-Bypass is only for admins with access to every client/,
    );
    const bypassed = await bulk(body, { headers: { "x-approval-bypass": "incident INC-7" } });
    expect(bypassed.status, JSON.stringify(bypassed.body)).toBe(200);
    expect(await features("svc-004")).toMatchObject({ stops: 3 });
    const bypass = await tdb.database.query<{ reason: string; after: { write: string } }>(
      `select reason, after from audit_log where action = 'change_policy.bypass'`,
    );
    expect(bypass).toHaveLength(1);
    expect(bypass[0]!.reason).toBe("incident INC-7");
    expect(bypass[0]!.after.write).toMatch(/1 services of client-1\/south_australia/);
  });

  it("refuses bad bodies with a 400 that says what to fix, before writing anything", async () => {
    const before = await snapshot();
    const dup = await bulk({
      items: [
        { service_id: "svc-004", provided_features: { stops: 3 } },
        { service_id: "svc-001", provided_features: { stops: 3 } },
        { service_id: "svc-004", provided_features: { mode: "bus" } },
      ],
    });
    expectError(dup, 400, /items\[0\] and items\[2\] both name service "svc-004"/);
    expectError(
      await bulk({ items: [{ service_id: "svc-004", static_features: { stops: 3 } }] }),
      400,
      /static_features/,
    );
    expectError(await bulk({ items: [], extra: 1 }), 400);
    expectError(await bulk({ items: [] }), 400, /items/);
    expectError(await bulk({ items: [{ service_id: 42 }] }), 400, /service_id/);
    expectError(
      await bulk({ items: [{ service_id: "svc-004", provided_features: "stops=3" }] }),
      400,
      /provided_features/,
    );
    expectError(await bulk({ items: "svc-004" }), 400, /items/);
    expectError(
      await bulk({ items: [{ service_id: "svc-004", status: "active" }] }),
      400,
      /status/,
    );
    const tooMany = await bulk({
      items: Array.from({ length: 10_001 }, (_, i) => ({ service_id: `s-${i}` })),
    });
    expectError(tooMany, 400, /10000|10,000/);
    expect(await snapshot()).toEqual(before);
  });

  describe("at scale", () => {
    const SIZE = 10_000;
    beforeEach(async () => {
      await tdb.database.query(
        `insert into domains (client_id, id, name, status) values ('client-1', 'metro', 'Metro', 'active')`,
      );
      await tdb.database.query(
        `insert into services (client_id, domain_id, id, name, provided_features, status)
         select 'client-1', 'metro', 'm-' || lpad(i::text, 5, '0'), 'Metro ' || i, '{"mode": "bus"}'::jsonb, 'active'
         from generate_series(0, $1::int - 1) as i`,
        [SIZE],
      );
      const res = await call("POST", `${METRO}/assignments`, {
        token: admin,
        body: { assignment_key: "default", model_id: "example-model", model_version: "1.0.0" },
      });
      expect(res.status).toBe(201);
    }, 60_000);

    const items = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
      Array.from({ length: n }, (_, i) => ({
        service_id: id(i),
        provided_features: { route: `route-${i}`, stops: i % 40, ...extra(i) },
      }));

    it("writes 10,000 services in one request, with one audit entry each", async () => {
      const res = await bulk({ items: items(SIZE) }, { url: `${METRO}/services` });
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
      expect(res.body.updated).toBe(SIZE);
      expect(res.body.items).toHaveLength(SIZE);
      expect(res.body.items[9_999]!.service.provided_features).toEqual({
        mode: "bus",
        route: "route-9999",
        stops: 39,
      });
      const [{ n }] = await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from services where domain_id = 'metro' and provided_features ? 'route'`,
      );
      expect(n).toBe(SIZE);
      expect(await auditCount()).toBe(SIZE);
    }, 120_000);

    it("writes nothing of 10,000 items when the last one is bad", async () => {
      const body = { items: items(SIZE, (i) => (i === SIZE - 1 ? { stops: "lots" } : {})) };
      const res = await bulk(body, { url: `${METRO}/services` });
      expectError(res, 422, /m-09999/);
      expect(res.body.blocking_services).toHaveLength(1);
      const [{ n }] = await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from services where domain_id = 'metro' and provided_features ? 'route'`,
      );
      expect(n).toBe(0);
      expect(await auditCount()).toBe(0);
    }, 120_000);

    it("runs the same statements for 10 items as for 10,000", async () => {
      const statements = async (n: number) => {
        const seen: string[] = [];
        setDatabase(loggingDatabase(tdb.database, (text) => seen.push(text)));
        try {
          const res = await bulk({ items: items(n) }, { url: `${METRO}/services` });
          expect(res.status).toBe(200);
        } finally {
          setDatabase(tdb.database);
        }
        return seen.filter((t) => !/^(begin|commit|rollback)/i.test(t.trim()));
      };
      const few = await statements(10);
      const many = await statements(SIZE);
      expect(many.length).toBe(few.length);
      expect(many.length).toBeLessThanOrEqual(12);
    }, 120_000);
  });
});
