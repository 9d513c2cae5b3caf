// ?dry_run=true on the creating POSTs of clients, domains and models: the same answer, nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, token } from "../helpers/api";
import { expectError } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

describe.each(DRIVERS)("dry runs of creates on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
  });
  afterAll(async () => tdb.drop());

  const cases = [
    {
      what: "client",
      url: "/v2/clients",
      body: { client_id: "client-9", name: "Nine" },
      readBack: "/v2/clients/client-9",
      expected: { client_id: "client-9", name: "Nine" },
    },
    {
      what: "domain",
      url: "/v2/clients/client-1/domains",
      body: { domain_id: "queensland", name: "Queensland" },
      readBack: "/v2/clients/client-1/domains/queensland",
      expected: {
        client_id: "client-1",
        domain_id: "queensland",
        status: "active",
        service_count: 0,
      },
    },
    {
      what: "model",
      url: "/v2/models",
      body: { model_id: "route-model", name: "Routes" },
      readBack: "/v2/models/route-model",
      expected: { model_id: "route-model", versions: [] },
    },
  ];

  it.each(cases)(
    "a $what dry run answers 201 with the row and writes nothing; the real call then creates it",
    async (c) => {
      const audit = async () =>
        (await tdb.database.query<{ n: number }>(`select count(*)::int as n from audit_log`))[0]!.n;
      const auditBefore = await audit();
      const dry = await call("POST", `${c.url}?dry_run=true`, { token: admin, body: c.body });
      expect(dry.status).toBe(201);
      expect(dry.body).toMatchObject(c.expected);
      expectError(await call("GET", c.readBack, { token: admin }), 404, /not found/);
      expect(await audit()).toBe(auditBefore);

      const real = await call("POST", c.url, { token: admin, body: c.body });
      expect(real.status).toBe(201);
      expect(real.body).toMatchObject(c.expected);
      expect((await call("GET", c.readBack, { token: admin })).status).toBe(200);
      // And a dry run of a duplicate answers the same 409 the real call would.
      expectError(
        await call("POST", `${c.url}?dry_run=true`, { token: admin, body: c.body }),
        409,
        /already exists/,
      );
    },
  );
});
