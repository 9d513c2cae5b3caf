// GET .../service/{s}/assignments/{k}/effective[?at=]: the service's own assignment wins, else the domain
// default; with `at`, the revision that was effective then.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import { DOMAIN, expectError, resetDemo, serviceAssignment, sleep, V1, V2 } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Row = Record<string, unknown> & { assignment_id: string; revision: number; source?: string };

describe.each(DRIVERS)("effective assignment on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const effective = (serviceId: string, key = "default", at?: string) =>
    call<Row>(
      "GET",
      `${serviceAssignment(serviceId, key)}/effective${at ? `?at=${encodeURIComponent(at)}` : ""}`,
      { token: admin },
    );
  const put = (url: string, body: unknown) => call<Row>("PUT", url, { token: admin, body });
  /** A moment strictly between the writes before and after it. */
  const between = async () => {
    await sleep(20);
    const at = new Date().toISOString();
    await sleep(20);
    return at;
  };

  it("is the domain default for a service without its own", async () => {
    const dflt = (await call<Row>("GET", DOMAIN_DEFAULT, { token: admin })).body;
    const res = await effective("service-1");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...dflt,
      source: "domain_default",
      contract_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.body).toMatchObject({ service_id: null, model_version: "1.0.0" });
  });

  it("is the service's own assignment when it has one", async () => {
    const res = await effective("svc-002");
    expect(res.body).toMatchObject({
      source: "service",
      service_id: "svc-002",
      model_version: "2.0.0",
    });

    const own = await put(serviceAssignment("service-1"), V2);
    const now = await effective("service-1");
    expect(now.body).toEqual({
      ...own.body,
      source: "service",
      contract_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("is per key: the eta default applies while default is overridden", async () => {
    expect((await effective("svc-002", "eta")).body).toMatchObject({
      source: "domain_default",
      model_id: "eta-model",
    });
  });

  it("404 when neither the service nor the domain has the key", async () => {
    expectError(
      await effective("service-1", "anomaly"),
      404,
      /"service-1" has no effective assignment "anomaly"/,
    );
  });

  it("404 for an unknown service, domain or client", async () => {
    expectError(await effective("svc-404"), 404, /Service "svc-404" not found/);
    expectError(
      await call(
        "GET",
        "/v2/clients/client-1/domains/atlantis/service/service-1/assignments/default/effective",
        { token: admin },
      ),
      404,
      /"atlantis"/,
    );
    expectError(
      await call(
        "GET",
        "/v2/clients/nobody/domains/south_australia/service/service-1/assignments/default/effective",
        { token: admin },
      ),
      404,
      /"nobody"/,
    );
  });

  it("?at= answers the revision effective at a past time", async () => {
    const seeded = (await call<Row>("GET", DOMAIN_DEFAULT, { token: admin })).body;
    const t0 = await between();
    const own1 = await put(serviceAssignment("service-1"), V2);
    const t1 = await between();
    const own2 = await put(serviceAssignment("service-1"), { ...V1, metadata: { second: true } });
    const t2 = await between();
    const retired = await put(serviceAssignment("service-1"), {
      ...V1,
      metadata: { second: true },
      status: "archived",
    });
    expect(retired.status).toBe(200);
    const t3 = await between();
    const dflt2 = await put(DOMAIN_DEFAULT, { ...V1, settings: { v: 2 } });
    expect(dflt2.body.revision).toBe(2);

    const at = async (time: string) => {
      const res = await effective("service-1", "default", time);
      expect(res.status).toBe(200);
      return [res.body.source, res.body.assignment_id];
    };
    expect(await at(t0)).toEqual(["domain_default", seeded.assignment_id]);
    expect(await at(t1)).toEqual(["service", own1.body.assignment_id]);
    expect(await at(t2)).toEqual(["service", own2.body.assignment_id]);
    expect(await at(t3)).toEqual(["domain_default", seeded.assignment_id]);
    expect(await at(new Date(Date.now() + 60_000).toISOString())).toEqual([
      "domain_default",
      dflt2.body.assignment_id,
    ]);

    // The revision is returned as it is now (archived), with its content from then.
    const then = await effective("service-1", "default", t1);
    expect(then.body).toMatchObject({ status: "archived", model_version: "2.0.0", revision: 1 });

    // Without at: now.
    expect((await effective("service-1")).body.assignment_id).toBe(dflt2.body.assignment_id);
  });

  it("?at= accepts a time with an offset", async () => {
    const own = await put(serviceAssignment("service-1"), V2);
    await sleep(20);
    const later = new Date(Date.now() + 10 * 60_000);
    // The same instant written as +10:00.
    const local = new Date(later.getTime() + 10 * 3600_000).toISOString().replace("Z", "+10:00");
    expect((await effective("service-1", "default", local)).body.assignment_id).toBe(
      own.body.assignment_id,
    );
  });

  it("?at= before anything existed: 404", async () => {
    expectError(
      await effective("service-1", "default", "2000-01-01T00:00:00Z"),
      404,
      /at 2000-01-01T00:00:00Z/,
    );
  });

  it.each(["yesterday", "2024-13-01T00:00:00Z", "2024-01-01", "1700000000"])(
    "400 for at=%s",
    async (value) => {
      const res = await effective("service-1", "default", value);
      expectError(res, 400, /at/);
      expect(res.body.issues).toEqual([{ path: "at", message: expect.any(String) }]);
    },
  );

  it("departed services keep their history readable", async () => {
    const res = await call("GET", `${DOMAIN}/service/svc-009`, { token: admin });
    expect(res.body).toMatchObject({ service_id: "svc-009", status: "departed" });
    expectError(await put(serviceAssignment("svc-009"), V1), 422, /departed/);
  });

  it("a departed service runs nothing now, but its past is answerable", async () => {
    const before = await between();
    expectError(await effective("svc-009"), 422, /svc-009.*departed.*\?at=/);
    const then = await effective("svc-009", "default", before);
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({ source: "domain_default", model_version: "1.0.0" });
  });
});
