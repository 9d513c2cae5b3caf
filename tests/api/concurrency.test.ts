// The invariant under concurrent writers: at most one active revision per key, numbered without gaps.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, DOMAIN_DEFAULT, SEED_PUT, token } from "../helpers/api";
import { resetDemo, service, V1, V2 } from "../helpers/demo";
import {
  activeNotLatest,
  createTestDatabase,
  DRIVERS,
  type TestDatabase,
} from "../helpers/test-database";

type Row = { assignment_id: string; revision: number; status: string };

describe.each(DRIVERS)("concurrent writes on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const activeCount = async (scope: string, key = "default") =>
    (
      await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from assignments where client_id = 'client-1' and domain_id = 'south_australia'
         and scope = $1 and assignment_key = $2 and status = 'active'`,
        [scope, key],
      )
    )[0]!.n;

  it("parallel PUTs to one key: every one lands, as revisions 1..n, one active", async () => {
    const n = 8;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        call<Row>("PUT", SEED_PUT, { token: admin, body: { ...V2, metadata: { writer: i } } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(200));
    expect(results.map((r) => r.body.revision).sort((a, b) => a - b)).toEqual(
      Array.from({ length: n }, (_, i) => i + 1),
    );
    expect(await activeCount("service-1")).toBe(1);
    const revisions = await call<{ items: Row[] }>("GET", `${SEED_PUT}/revisions`, {
      token: admin,
    });
    expect(revisions.body.items.map((r) => r.status)).toEqual([
      "active",
      ...Array(n - 1).fill("archived"),
    ]);
    expect(await activeNotLatest(tdb.database)).toEqual([]);
  });

  it("parallel POSTs creating one key: one 201, the rest 409", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        call("POST", `${service("svc-003")}/assignments`, {
          token: admin,
          body: { assignment_key: "anomaly", ...V1 },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await activeCount("svc-003", "anomaly")).toBe(1);
  });

  it("a domain default move racing a service patch never leaves a service incompatible", async () => {
    const fixes = [
      { service_id: "svc-001", static_features: { route: "route-a" } },
      { service_id: "svc-003", static_features: { route: "route-o" } },
      { service_id: "svc-006", static_features: { route: "route-p", night_service: true } },
    ];
    const [moved, patched] = await Promise.all([
      call("PUT", DOMAIN_DEFAULT, { token: admin, body: { ...V2, service_updates: fixes } }),
      call("PATCH", service("svc-004"), {
        token: admin,
        body: { provided_features: { route: null } },
      }),
    ]);
    // Whichever ran first, the other saw its result: either the move is refused because svc-004 lost its
    // route, or the patch is refused because svc-004 now runs 2.0.0.
    expect([moved.status, patched.status].sort()).toEqual([200, 422]);
    const svc = await call<{ provided_features: Record<string, unknown> }>(
      "GET",
      service("svc-004"),
      { token: admin },
    );
    const dflt = await call<{ model_version: string }>("GET", DOMAIN_DEFAULT, { token: admin });
    if (dflt.body.model_version === "2.0.0")
      expect(svc.body.provided_features.route).toBe("route-99c");
    else expect(svc.body.provided_features).not.toHaveProperty("route");
  });
});
