import { it } from "vitest";
import { call, SEED_PUT, DOMAIN_DEFAULT, token } from "../helpers/api";
import { createTestDatabase } from "../helpers/test-database";
it("probe", async () => {
  const tdb = await createTestDatabase("pglite");
  const admin = await token();
  const V2 = { model_id: "example-model", model_version: "2.0.0" };
  const tries: [string, string, Parameters<typeof call>[2]][] = [
    ["PUT", SEED_PUT, { token: admin, rawBody: '{"__proto__": {"x": 1}, "model_id": "example-model", "model_version": "2.0.0"}', headers: { "content-type": "application/json" } }],
    ["PUT", SEED_PUT, { token: admin, body: { ...V2, settings: { __proto__: 1 } } }],
    ["PUT", SEED_PUT, { token: admin, body: { ...V2, service_updates: [{ service_id: "service-1", static_features: { "__proto__": "x", constructor: 1 } }] } }],
    ["PUT", SEED_PUT, { token: admin, body: { ...V2, service_updates: [{ service_id: "service-1", static_features: { "": "x" } }] } }],
    ["PUT", SEED_PUT, { token: admin, body: { ...V2, metadata: { s: "\u0000" } } }],
    ["PUT", SEED_PUT, { token: admin, body: { ...V2, role: "a\u0000b" } }],
    ["PUT", SEED_PUT, { token: admin, body: { ...V2, service_updates: [{ service_id: "service-1", static_features: { route: "a\u0000" } }] } }],
    ["PUT", SEED_PUT, { token: admin, body: { ...V2, settings: { n: 1e308 } } }],
    ["PUT", SEED_PUT, { token: admin, rawBody: '{"model_id":"example-model","model_version":"2.0.0","settings":{"n":1e999}}', headers: { "content-type": "application/json" } }],
    ["GET", SEED_PUT + "/revisions?limit=1.5", { token: admin }],
    ["GET", SEED_PUT + "/revisions?cursor=WzFd&limit=5", { token: admin }],
    ["GET", SEED_PUT + "/revisions?cursor=WzEuNV0", { token: admin }],
    ["GET", SEED_PUT + "/revisions?cursor=Wzk5OTk5OTk5OTk5XQ", { token: admin }],
    ["GET", "/v2/clients/client-1/domains/south_australia/assignments?cursor=WyJhIiwxLjVd", { token: admin }],
    ["GET", "/v2/models/example-model/versions?cursor=WyJub3QtYS1kYXRlIiwieCJd", { token: admin }],
    ["GET", SEED_PUT + "/effective?at=2024-01-01T00:00:00.123456789Z", { token: admin }],
    ["GET", SEED_PUT + "/effective?at=9999-12-31T23:59:59Z", { token: admin }],
    ["GET", SEED_PUT + "/effective?at=0001-01-01T00:00:00Z", { token: admin }],
    ["GET", SEED_PUT + "/effective?at=2024-01-01T00:00:00%2B99:00", { token: admin }],
    ["GET", "/v2/clients/client-1/domains/south_australia/services?q=%25", { token: admin }],
    ["GET", "/v2/clients/client-1/domains/south_australia/services?q=%00", { token: admin }],
    ["PUT", SEED_PUT, { token: admin, headers: { "if-match": "\"abc\"" }, body: V2 }],
    ["POST", "/v2/models/example-model/versions", { token: admin, body: { version: "9.0.0", features: [{ key: "a", type: "string", required: false, default: "x\u0000" }] } }],
    ["POST", "/v2/models", { token: admin, body: { model_id: "m", name: "a\u0000" } }],
    ["PATCH", "/v2/clients/client-1/domains/south_australia/service/svc-004", { token: admin, body: { name: "\u0000" } }],
    ["PUT", DOMAIN_DEFAULT, { token: admin, body: { ...V2, service_updates: [{ service_id: "svc-001", static_features: { route: "\u0000" } }, { service_id: "svc-003", static_features: { route: "r" } }, { service_id: "svc-006", static_features: { route: "r", night_service: true } }] } }],
  ];
  for (const [m, u, o] of tries) {
    const r = await call(m, u, o);
    console.log(m, u.slice(-50), JSON.stringify(o?.body ?? o?.rawBody ?? "").slice(0, 80), "=>", r.status, JSON.stringify(r.body).slice(0, 250));
  }
  await tdb.drop();
});
