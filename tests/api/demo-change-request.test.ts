// The demo's change request (journey 12 on a fresh start): Western Australia requires one approval and holds
// request #1, whose stored changes are exactly what opening it decides on the seeded data, so it can be approved and
// applied as it is; South Australia stays writable directly (the README walk-through).
import fs from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { assignmentPutBody } from "@/lib/schemas/assignments";
import { impactHash, planChanges } from "@/lib/server/change-requests/plan-changes";
import demoRequest from "@/db/demo-change-request.json";
import { call, token } from "../helpers/api";
import { CLIENT, expectError, resetDemo, V2 } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

const WA = `${CLIENT}/domains/western_australia`;
const SPEC = {
  domain_id: "western_australia",
  service_id: null,
  assignment_key: "default",
  body: assignmentPutBody.parse({
    ...V2,
    service_updates: [{ service_id: "wa-103", static_features: { route: "route-air" } }],
  }),
  if_match: null,
};

type Request = {
  id: string;
  number: number;
  status: string;
  author: string;
  impact_hash: string;
  required_approvals: number;
  blocked: boolean;
  changes: { impact: { moves: { service_ids: string[] }[]; blocking_services: unknown[] } }[];
};

describe.each(DRIVERS)("the demo change request on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let bob: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
    bob = await token({
      sub: "bob",
      scopes: ["assignments:read", "assignments:write", "services:read", "services:write"],
      clients: ["client-1"],
    });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  it("stores the changes and impact hash that opening it decides on the seeded data", async () => {
    const planned = await tdb.database.transaction((q) => planChanges(q, "client-1", [SPEC]));
    const stored = planned.map((p) => p.stored);
    if (process.env.WRITE_DEMO_REQUEST)
      fs.writeFileSync(
        "db/demo-change-request.json",
        JSON.stringify({ ...demoRequest, changes: stored }, null, 2) + "\n",
      );
    expect(demoRequest.changes).toEqual(JSON.parse(JSON.stringify(stored)));
    const res = await call<{ items: Request[] }>("GET", `${CLIENT}/change-requests`, {
      token: admin,
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const [summary] = res.body.items;
    const one = await call<Request>("GET", `${CLIENT}/change-requests/${summary!.id}`, {
      token: admin,
    });
    expect(one.body).toMatchObject({
      number: 1,
      status: "open",
      author: "user:dana@example.com",
      required_approvals: 1,
      blocked: false,
      impact_hash: impactHash(stored),
    });
    // The move covers the domain's three services; the Airport Line's missing route is filled in: nothing blocks.
    expect(one.body.changes[0]!.impact.moves[0]!.service_ids).toEqual([
      "wa-101",
      "wa-102",
      "wa-103",
    ]);
    expect(one.body.changes[0]!.impact.blocking_services).toEqual([]);
  });

  it("waits for the reviewer, refuses a direct write to Western Australia, and applies once approved", async () => {
    const queue = await call<{ items: Request[] }>(
      "GET",
      `${CLIENT}/change-requests?needs_review_by=me`,
      { token: admin },
    );
    expect(queue.body.items.map((r) => r.number)).toEqual([1]);
    const request = queue.body.items[0]!;

    const direct = await call("PUT", `${WA}/assignments/default`, { token: admin, body: V2 });
    expectError(direct, 403, /change-requests/);

    const approve = await call<Request>("POST", `${CLIENT}/change-requests/${request.id}/reviews`, {
      token: bob,
      body: { decision: "approve", impact_hash: request.impact_hash },
    });
    expect(approve.status).toBe(200);
    expect(approve.body.status).toBe("approved");
    const applied = await call<Request>("POST", `${CLIENT}/change-requests/${request.id}/apply`, {
      token: admin,
    });
    expect(applied.status).toBe(200);
    expect(applied.body.status).toBe("applied");
    const now = await call<{ model_version: string }>("GET", `${WA}/assignments/default`, {
      token: admin,
    });
    expect(now.body.model_version).toBe("2.0.0");
    const [revision] = await tdb.database.query<{ change_request_id: string }>(
      `select change_request_id from assignments
       where domain_id = 'western_australia' and scope = '' and assignment_key = 'default' and status = 'active'`,
    );
    expect(revision!.change_request_id).toBe(request.id);
    const airport = await call<{ provided_features: Record<string, unknown> }>(
      "GET",
      `${WA}/service/wa-103`,
      { token: admin },
    );
    expect(airport.body.provided_features).toMatchObject({ route: "route-air", mode: "train" });
  });

  it("keeps South Australia writable directly", async () => {
    const res = await call(
      "PUT",
      `${CLIENT}/domains/south_australia/service/service-1/assignments/default`,
      {
        token: admin,
        body: V2,
      },
    );
    expect(res.status).toBe(200);
  });
});
