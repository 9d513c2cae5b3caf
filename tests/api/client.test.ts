// The typed client (lib/client): its committed schema is what the served OpenAPI document generates, and its
// calls type-check against and work on the real routes.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "@/lib/client";
import { generateClientSchema, SCHEMA_FILE } from "@/lib/client/generate";
import { call, inProcessFetch, token } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

describe("the typed client", () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase("pglite");
  });
  afterAll(async () => tdb.drop());

  it("is generated from the served /v2/openapi.json (run `npm run client:generate` after changing the API)", async () => {
    const served = await call("GET", "/v2/openapi.json");
    expect(served.status).toBe(200);
    const generated = await generateClientSchema(served.body);
    expect(generated === fs.readFileSync(SCHEMA_FILE, "utf8")).toBe(true);
  });

  it("reads the whole domain, revalidates with its ETag and reads the change feed", async () => {
    const client = createApiClient({
      baseUrl: "http://localhost:3000",
      token: await token({
        scopes: ["assignments:read", "assignments:write"],
        clients: ["client-1"],
      }),
      fetch: inProcessFetch,
    });
    const path = { client_id: "client-1", domain_id: "south_australia", assignment_key: "default" };
    const first = await client.GET(
      "/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}/effective",
      { params: { path, query: { limit: 5 } } },
    );
    expect(first.response.status).toBe(200);
    expect(first.data?.items).toHaveLength(5);
    expect(first.data?.items[0]).toMatchObject({
      service_id: "service-1",
      source: "domain_default",
    });
    const etag = first.response.headers.get("etag")!;
    const again = await client.GET(
      "/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}/effective",
      { params: { path, query: { limit: 5 }, header: { "If-None-Match": etag } } },
    );
    expect(again.response.status).toBe(304);

    const put = await client.PUT(
      "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments/{assignment_key}",
      {
        params: { path: { ...path, service_id: "service-1" } },
        body: { model_id: "example-model", model_version: "2.0.0" },
      },
    );
    expect(put.response.status).toBe(200);
    const feed = await client.GET("/v2/clients/{client_id}/domains/{domain_id}/changes", {
      params: { path: { client_id: "client-1", domain_id: "south_australia" } },
    });
    expect(feed.data).toEqual({
      items: [
        expect.objectContaining({
          cursor: "1",
          kind: "assignment",
          service_id: "service-1",
          assignment_id: put.data!.assignment_id,
        }),
      ],
      next_cursor: "1",
    });
    const bad = await client.GET("/v2/clients/{client_id}/domains/{domain_id}/changes", {
      params: {
        path: { client_id: "client-1", domain_id: "south_australia" },
        query: { after: "x" },
      },
    });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ success: false, message: expect.stringMatching(/after/) });
  });
});
