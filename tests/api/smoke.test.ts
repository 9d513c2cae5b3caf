import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, SEED_PUT, token } from "../helpers/api";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

describe.each(DRIVERS)("smoke on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
  });
  afterAll(async () => tdb.drop());

  it("upserts the seed route", async () => {
    const res = await call("PUT", SEED_PUT, {
      token: admin,
      body: { model_id: "example-model", model_version: "2.0.0" },
    });
    expect(res.body).toMatchObject({
      model_id: "example-model",
      model_version: "2.0.0",
      status: "active",
      service_id: "service-1",
    });
    expect(res.status).toBe(200);
  });
});
