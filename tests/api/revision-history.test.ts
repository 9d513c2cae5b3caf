// History that tells the whole change: the service patches written with a revision (service_changes), the
// "restored from" marker (restored_from_revision), and a 412 that says who changed the key and when.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import { DOMAIN, expectError, resetDemo, serviceAssignment, V1, V2 } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type ServiceChange = {
  service_id: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
};
type Row = Record<string, unknown> & {
  assignment_id: string;
  revision: number;
  status: string;
  model_version: string;
  restored_from_revision: number | null;
  service_changes?: ServiceChange[];
};
type Page<T> = { items: T[]; next_cursor: string | null };

const FIX_ALL = [
  { service_id: "svc-001", static_features: { route: "route-a" } },
  { service_id: "svc-003", static_features: { route: "route-obx" } },
  { service_id: "svc-006", static_features: { route: "route-pac", night_service: true } },
];

describe.each(DRIVERS)("revision history on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "user:ops@example.com" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const put = (body: unknown, url = DOMAIN_DEFAULT, headers?: Record<string, string>) =>
    call<Row>("PUT", url, { token: admin, body, headers });
  const revisions = async (url = DOMAIN_DEFAULT) =>
    (await call<Page<Row>>("GET", `${url}/revisions`, { token: admin })).body.items;

  it("a domain move with service_updates lists each service's before and after on its revision", async () => {
    const moved = await put({ ...V2, service_updates: FIX_ALL });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.restored_from_revision).toBeNull();

    const [rev2, rev1] = await revisions();
    expect(rev1!.service_changes).toEqual([]);
    expect(rev2!.service_changes).toEqual([
      {
        service_id: "svc-001",
        before: { mode: "tram" },
        after: { mode: "tram", route: "route-a" },
      },
      {
        service_id: "svc-003",
        before: { mode: "bus", stops: 8 },
        after: { mode: "bus", stops: 8, route: "route-obx" },
      },
      {
        service_id: "svc-006",
        before: { mode: "bus", stops: 14, night_service: "yes" },
        after: { mode: "bus", stops: 14, night_service: true, route: "route-pac" },
      },
    ]);

    // The same on the revision read by id.
    const byId = await call<Row>("GET", `/v2/assignments/${rev2!.assignment_id}`, {
      token: admin,
    });
    expect(byId.body.service_changes).toEqual(rev2!.service_changes);

    // In the database: the patches' audit rows carry the revision's id, as does the revision's own entry.
    const rows = await tdb.database.query<{ action: string; entity_id: string }>(
      `select action, entity_id from audit_log where assignment_id = $1 order by action, entity_id`,
      [rev2!.assignment_id],
    );
    expect(rows.map((r) => [r.action, r.entity_id])).toEqual([
      ["assignment.upsert", "client-1/south_australia//default"],
      ["service.patch", "client-1/south_australia/svc-001"],
      ["service.patch", "client-1/south_australia/svc-003"],
      ["service.patch", "client-1/south_australia/svc-006"],
    ]);
  });

  it("a PATCH of a service alone is not attributed to any revision", async () => {
    const patched = await call("PATCH", `${DOMAIN}/service/svc-001`, {
      token: admin,
      body: { provided_features: { route: "by-hand" } },
    });
    expect(patched.status).toBe(200);
    expect((await put(V2, DOMAIN_DEFAULT)).status).toBe(422);
    const moved = await put({ ...V2, service_updates: FIX_ALL.slice(1) });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const [rev2] = await revisions();
    expect(rev2!.service_changes!.map((c) => c.service_id)).toEqual(["svc-003", "svc-006"]);
  });

  it("a refused write and a dry run record no service changes", async () => {
    const refused = await put({ ...V2, service_updates: FIX_ALL.slice(0, 2) });
    expectError(refused, 422, /svc-006/);
    const dry = await put({ ...V2, service_updates: FIX_ALL }, `${DOMAIN_DEFAULT}?dry_run=true`);
    expect(dry.status).toBe(200);
    expect(await revisions()).toHaveLength(1);
    const [count] = await tdb.database.query<{ n: number }>(
      `select count(*)::int as n from audit_log where action = 'service.patch'`,
    );
    expect(count!.n).toBe(0);
  });

  it("a service override's own service_updates show on its revision", async () => {
    const url = serviceAssignment("svc-001");
    const res = await put(
      { ...V2, service_updates: [{ service_id: "svc-001", static_features: { route: "r-1" } }] },
      url,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [latest] = await revisions(url);
    expect(latest!.service_changes).toEqual([
      { service_id: "svc-001", before: { mode: "tram" }, after: { mode: "tram", route: "r-1" } },
    ]);
  });

  it("restored_from_revision marks a restore; repeating it changes nothing", async () => {
    expect((await put({ ...V2, service_updates: FIX_ALL })).status).toBe(200);
    const restored = await put({ ...V1, restored_from_revision: 1 });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body).toMatchObject({
      revision: 3,
      model_version: "1.0.0",
      restored_from_revision: 1,
    });
    const list = await revisions();
    expect(list.map((r) => [r.revision, r.restored_from_revision])).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);

    // Same content as the active revision: idempotent, the marker alone is no change.
    const again = await put({ ...V1, restored_from_revision: 1 });
    expect(again.status).toBe(200);
    expect(again.body.assignment_id).toBe(restored.body.assignment_id);
    expect(await revisions()).toHaveLength(3);
  });

  it("refuses a restored_from_revision that names no revision of the key, and writes nothing", async () => {
    expect((await put({ ...V1, metadata: { a: 1 } })).status).toBe(200);
    expectError(
      await put({ ...V2, restored_from_revision: 3, service_updates: FIX_ALL }),
      422,
      /restored_from_revision 3 names no revision of key "default": its revisions are 1 to 2/,
    );
    // The service has no revisions of its own: the domain's numbers don't count.
    expectError(
      await put({ ...V1, restored_from_revision: 1 }, serviceAssignment("svc-001")),
      422,
      /key "default" has none yet/,
    );
    expectError(
      await put({ ...V1, status: "archived", restored_from_revision: 1 }),
      400,
      /only .*active|status "archived"/,
    );
    for (const bad of ["1", 0, -1, 1.5, null, 2 ** 31]) {
      expectError(await put({ ...V1, restored_from_revision: bad }), 400, /restored_from_revision/);
    }
    expect((await revisions()).map((r) => r.revision)).toEqual([2, 1]);
    const own = await call("GET", `${serviceAssignment("svc-001")}/revisions`, { token: admin });
    expect(own.status).toBe(404);
  });

  it("the database refuses a restored_from_revision of another key or a later revision", async () => {
    const insert = (key: string, revision: number, from: number) =>
      tdb.database.query(
        `insert into assignments (assignment_id, client_id, domain_id, scope, assignment_key, revision,
           model_id, model_version, status, created_by, restored_from_revision)
         values (gen_random_uuid(), 'client-1', 'south_australia', '', $1, $2, 'example-model', '1.0.0',
           'archived', 'test', $3)`,
        [key, revision, from],
      );
    // The demo's "default" has revision 1; a brand-new key has none to restore from, and 7 is not older than 5.
    await expect(insert("brand-new", 2, 1)).rejects.toThrow(/assignments_restored_from_same_key/);
    await expect(insert("default", 5, 7)).rejects.toThrow(/restored_from/);
  });

  it("a stale If-Match gets a 412 that names the revision, who saved it and when, not its id", async () => {
    const first = await put({ ...V1, metadata: { step: 1 } });
    const other = await token({ sub: "user:ada@example.com" });
    const second = await call<Row>("PUT", DOMAIN_DEFAULT, {
      token: other,
      body: { ...V1, metadata: { step: 2 } },
    });
    expect(second.status).toBe(200);
    const res = await put({ ...V1, metadata: { step: 3 } }, DOMAIN_DEFAULT, {
      "if-match": `"${first.body.assignment_id}"`,
    });
    expectError(
      res,
      412,
      /revision 3 is active now, saved by ada@example\.com at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\. Reload/,
    );
    expect(res.body.message).not.toContain(second.body.assignment_id);
    expect(res.body.message).not.toContain("user:");
  });
});
