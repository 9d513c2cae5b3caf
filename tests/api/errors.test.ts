// The transport-level errors every /v2 route shares: unknown routes, wrong methods, oversized and non-JSON
// bodies, all in the one JSON envelope; and the unauthenticated health routes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, SEED_PUT, token } from "../helpers/api";
import { DOMAIN, expectError, V2 } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

describe.each(DRIVERS)("transport errors on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
  });
  afterAll(async () => tdb.drop());

  const revisionCount = async () =>
    Number(
      (
        await tdb.database.query<{ n: number }>(
          `select count(*)::int as n from assignments where scope = 'service-1'`,
        )
      )[0]!.n,
    );

  describe("unknown routes: 404 JSON", () => {
    it.each([
      ["GET", "/v2/nothing-here"],
      ["POST", "/v2/clients/client-1/widgets"],
      [
        "PUT",
        "/v2/clients/client-1/domains/south_australia/service/service-1/assignments/default/extra/bits",
      ],
      ["DELETE", "/v2/models/example-model/versions/2.0.0/contract-diff/x"],
    ])("%s %s", async (method, url) => {
      const res = await call(method, url, { token: admin });
      expectError(res, 404, /No such route/);
      expect(res.body.message).toContain(new URL(url, "http://x").pathname);
      expect(res.body).toEqual({ success: false, message: expect.any(String) });
    });

    it("even without a token", async () => {
      expectError(await call("GET", "/v2/nothing-here"), 404, /No such route/);
    });
  });

  describe("wrong method: 405 JSON with Allow", () => {
    it.each([
      ["DELETE", SEED_PUT, "GET, HEAD, PUT, OPTIONS"],
      ["PATCH", SEED_PUT, "GET, HEAD, PUT, OPTIONS"],
      ["POST", SEED_PUT, "GET, HEAD, PUT, OPTIONS"],
      ["PUT", `${DOMAIN}/services`, "GET, HEAD, POST, PATCH, OPTIONS"],
      ["GET", `${DOMAIN}/assignments/default/preview`, "POST, OPTIONS"],
      ["DELETE", "/v2/assignments/00000000-0000-4000-8000-000000000000", "GET, HEAD, OPTIONS"],
    ])("%s %s", async (method, url, allow) => {
      const res = await call(method, url, {
        token: admin,
        body: method === "GET" || method === "DELETE" ? undefined : V2,
      });
      expectError(res, 405, /Method not allowed/);
      expect(res.body.message).toContain(allow);
      expect(res.headers.get("allow")).toBe(allow);
    });

    it("OPTIONS answers 204 with Allow", async () => {
      const res = await call("OPTIONS", SEED_PUT);
      expect(res.status).toBe(204);
      expect(res.headers.get("allow")).toBe("GET, HEAD, PUT, OPTIONS");
    });
  });

  describe("bodies", () => {
    it("413 over 1 MiB, and nothing written", async () => {
      const big = JSON.stringify({ ...V2, metadata: { blob: "x".repeat(1024 * 1024) } });
      const res = await call("PUT", SEED_PUT, {
        token: admin,
        rawBody: big,
        headers: { "content-type": "application/json" },
      });
      expectError(res, 413, /1 MiB/);
      expect(await revisionCount()).toBe(0);
    });

    it("413 from Content-Length alone", async () => {
      const res = await call("PUT", SEED_PUT, {
        token: admin,
        rawBody: JSON.stringify(V2),
        headers: { "content-type": "application/json", "content-length": String(2 * 1024 * 1024) },
      });
      expectError(res, 413);
    });

    it("accepts a body just under 1 MiB", async () => {
      const res = await call("PUT", `${SEED_PUT}?dry_run=true`, {
        token: admin,
        rawBody: JSON.stringify({ ...V2, metadata: { blob: "x".repeat(1000 * 1000) } }),
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(200);
    });

    it.each([
      ["text/plain", "text/plain"],
      ["form data", "application/x-www-form-urlencoded"],
      ["no content type", null],
    ])("415 for %s", async (_name, type) => {
      const res = await call("PUT", SEED_PUT, {
        token: admin,
        rawBody: JSON.stringify(V2),
        headers: type ? { "content-type": type } : {},
      });
      expectError(res, 415, /application\/json/);
      expect(await revisionCount()).toBe(0);
    });

    it("accepts application/json with a charset", async () => {
      const res = await call("PUT", `${SEED_PUT}?dry_run=true`, {
        token: admin,
        rawBody: JSON.stringify(V2),
        headers: { "content-type": "application/json; charset=utf-8" },
      });
      expect(res.status).toBe(200);
    });
  });

  describe("never a 500 for bad input", () => {
    const put = (body: unknown) => call("PUT", SEED_PUT, { token: admin, body });

    it.each([
      ["a NUL in a string", { ...V2, role: "a\u0000b" }, "role"],
      ["a NUL in metadata", { ...V2, metadata: { note: "\u0000" } }, "metadata.note"],
      ["a NUL in a settings key", { ...V2, settings: { "k\u0000": 1 } }, "settings.k\u0000"],
      [
        "a NUL in a feature value",
        {
          ...V2,
          service_updates: [{ service_id: "service-1", static_features: { route: "r\u0000" } }],
        },
        "service_updates.0.static_features.route",
      ],
    ])("400 for %s, naming where", async (_name, body, path) => {
      const res = await put(body);
      expectError(res, 400, /NUL character/);
      expect(res.body.issues).toEqual([{ path, message: expect.stringMatching(/NUL/) }]);
      expect(await revisionCount()).toBe(0);
    });

    it("400 for a number too large to store", async () => {
      const res = await call("PUT", SEED_PUT, {
        token: admin,
        rawBody: '{"model_id":"example-model","model_version":"2.0.0","settings":{"n":1e999}}',
        headers: { "content-type": "application/json" },
      });
      expectError(res, 400, /settings\.n/);
      expect(await revisionCount()).toBe(0);
    });

    it.each([
      [
        "the model version",
        '{"model_id":"example-model","model_version":"1.0.0","model_version":"2.0.0"}',
        "model_version",
      ],
      [
        "an escaped spelling of status",
        '{"model_id":"example-model","model_version":"2.0.0","status":"active","st\\u0061tus":"archived"}',
        "status",
      ],
      [
        "a feature of a service update",
        '{"model_id":"example-model","model_version":"2.0.0","service_updates":[' +
          '{"service_id":"service-1","static_features":{"route":"a","route":"b"}}]}',
        "service_updates.0.static_features.route",
      ],
    ])(
      "400 for a key given twice (%s), naming it; nothing written",
      async (_name, rawBody, path) => {
        const res = await call("PUT", SEED_PUT, {
          token: admin,
          rawBody,
          headers: { "content-type": "application/json" },
        });
        expectError(res, 400, new RegExp(`${path.replace(/\./g, "\\.")} is given twice`));
        expect(res.body.issues).toEqual([{ path, message: expect.stringMatching(/send it once/) }]);
        expect(await revisionCount()).toBe(0);
      },
    );

    it("400 for a NUL in the query string", async () => {
      const res = await call("GET", `${DOMAIN}/services?q=%00`, { token: admin });
      expectError(res, 400, /"q" contains a NUL/);
    });

    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    it.each([
      ["a fractional revision", `${SEED_PUT}/revisions?cursor=${cursor([1.5])}`],
      ["a revision beyond int4", `${SEED_PUT}/revisions?cursor=${cursor([99_999_999_999])}`],
      ["a wrong shape", `${DOMAIN}/assignments?cursor=${cursor(["default", "x"])}`],
      ["a NUL in a key", `${DOMAIN}/services?cursor=${cursor(["svc\u0000"])}`],
      ["not base64 JSON", "/v2/models/example-model/versions?cursor=%%%"],
      ["an object", "/v2/models?cursor=" + cursor({ a: 1 })],
    ])("400 for a tampered cursor: %s", async (_name, url) => {
      expectError(await call("GET", url, { token: admin }), 400, /Invalid cursor/);
    });
  });

  describe("every response", () => {
    it("carries a request id, echoing a valid one", async () => {
      const res = await call("GET", SEED_PUT, {
        token: admin,
        headers: { "x-request-id": "trace-123" },
      });
      expect(res.headers.get("x-request-id")).toBe("trace-123");
      const generated = await call("GET", "/v2/nothing-here");
      expect((await call("GET", SEED_PUT, { token: admin })).headers.get("x-request-id")).toMatch(
        /^[0-9a-f-]{36}$/,
      );
      expect(generated.status).toBe(404);
    });
  });

  describe("health", () => {
    it("live and ready answer without a token", async () => {
      const live = await call("GET", "/v2/health/live");
      expect(live).toMatchObject({ status: 200, body: { status: "ok" } });
      const ready = await call("GET", "/v2/health/ready");
      expect(ready).toMatchObject({
        status: 200,
        body: { status: "ready", database: driver === "pglite" ? "pglite" : "pg" },
      });
    });
  });
});
