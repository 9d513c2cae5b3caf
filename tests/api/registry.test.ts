// The global model registry: models, immutable versions with frozen feature contracts, and contract diffs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { contractHash } from "@/db/contract-hash";
import { call, token } from "../helpers/api";
import { expectError, ISO, resetDemo, serviceAssignment } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Version = Record<string, unknown> & {
  model_id: string;
  version: string;
  description: string | null;
  features: Record<string, unknown>[];
  created_by: string;
  created_at: string;
};
type Change = {
  key: string;
  change: string;
  impact: string;
  reason: string;
  from: unknown;
  to: unknown;
};

const FEATURES = [
  { key: "route", type: "string", required: true, description: "Route id" },
  { key: "stops", type: "integer", required: false, default: 10 },
  { key: "mode", type: "enum", required: true, default: "bus", allowed_values: ["bus", "tram"] },
];

describe.each(DRIVERS)("model registry on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "ml-team" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const postVersion = (model: string, body: unknown) =>
    call<Version>("POST", `/v2/models/${model}/versions`, { token: admin, body });

  it("lists the demo models and reads one", async () => {
    const list = await call<{
      items: { model_id: string; versions: string[] }[];
      next_cursor: string | null;
    }>("GET", "/v2/models", { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.items.map((m) => [m.model_id, m.versions])).toEqual([
      ["eta-model", ["1.0.0"]],
      ["example-model", ["1.0.0", "2.0.0"]],
    ]);
    const one = await call("GET", "/v2/models/example-model", { token: admin });
    expect(one.body).toEqual({
      model_id: "example-model",
      name: "Example model",
      description: "Demand forecasting per service",
      versions: ["1.0.0", "2.0.0"],
      created_by: "system:demo-seed",
      created_at: expect.stringMatching(ISO),
    });
    expectError(
      await call("GET", "/v2/models/nope", { token: admin }),
      404,
      /Model "nope" not found/,
    );
  });

  it("registers a model: 201 with Location, 409 for a duplicate", async () => {
    const res = await call("POST", "/v2/models", {
      token: admin,
      body: { model_id: "anomaly-model", name: "Anomaly", description: "Finds odd days" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/v2/models/anomaly-model");
    expect(res.body).toEqual({
      model_id: "anomaly-model",
      name: "Anomaly",
      description: "Finds odd days",
      versions: [],
      created_by: "ml-team",
      created_at: expect.stringMatching(ISO),
    });
    expect((await call("GET", "/v2/models/anomaly-model", { token: admin })).body).toEqual(
      res.body,
    );

    const dup = await call("POST", "/v2/models", {
      token: admin,
      body: { model_id: "anomaly-model" },
    });
    expectError(dup, 409, /"anomaly-model" already exists/);
    expectError(
      await call("POST", "/v2/models", { token: admin, body: { model_id: "bad model" } }),
      400,
      /model_id/,
    );
  });

  it("registers a version with its contract: 201, readable, usable in assignments", async () => {
    await call("POST", "/v2/models", { token: admin, body: { model_id: "anomaly-model" } });
    const res = await postVersion("anomaly-model", {
      version: "0.1.0",
      description: "First cut",
      features: FEATURES,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/v2/models/anomaly-model/versions/0.1.0");
    expect(res.body).toEqual({
      model_id: "anomaly-model",
      version: "0.1.0",
      description: "First cut",
      features: FEATURES,
      // SHA-256 of the contract in canonical JSON (sorted keys, no whitespace).
      contract_hash: contractHash(FEATURES),
      created_by: "ml-team",
      created_at: expect.stringMatching(ISO),
    });
    const read = await call<Version>("GET", "/v2/models/anomaly-model/versions/0.1.0", {
      token: admin,
    });
    expect(read.body).toEqual(res.body);
    const list = await call<{ items: Version[] }>("GET", "/v2/models/anomaly-model/versions", {
      token: admin,
    });
    expect(list.body.items.map((v) => v.version)).toEqual(["0.1.0"]);
    expect((await call("GET", "/v2/models/anomaly-model", { token: admin })).body.versions).toEqual(
      ["0.1.0"],
    );

    const assigned = await call("PUT", serviceAssignment("service-1", "anomaly"), {
      token: admin,
      body: { model_id: "anomaly-model", model_version: "0.1.0" },
    });
    expect(assigned).toMatchObject({
      status: 200,
      body: { assignment_key: "anomaly", model_id: "anomaly-model", model_version: "0.1.0" },
    });
    // svc-001 offers mode "tram" but no route.
    const blocked = await call("PUT", serviceAssignment("svc-001", "anomaly"), {
      token: admin,
      body: { model_id: "anomaly-model", model_version: "0.1.0" },
    });
    expectError(blocked, 422);
    expect(blocked.body.blocking_services).toEqual([
      { service_id: "svc-001", missing: ["route"], invalid: [] },
    ]);
  });

  it("pages versions in registration order, each exactly once", async () => {
    await call("POST", "/v2/models", { token: admin, body: { model_id: "paged-model" } });
    const registered = ["0.1.0", "0.2.0", "1.0.0", "1.0.1", "2.0.0"];
    for (const version of registered)
      expect((await postVersion("paged-model", { version, features: [] })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const url: string = `/v2/models/paged-model/versions?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await call<{ items: Version[]; next_cursor: string | null }>("GET", url, {
        token: admin,
      });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((v) => v.version));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(registered);

    const models = await call<{ items: { model_id: string }[]; next_cursor: string | null }>(
      "GET",
      "/v2/models?limit=2",
      { token: admin },
    );
    expect(models.body.items.map((m) => m.model_id)).toEqual(["eta-model", "example-model"]);
    const rest = await call<{ items: { model_id: string }[]; next_cursor: string | null }>(
      "GET",
      `/v2/models?limit=2&cursor=${models.body.next_cursor}`,
      { token: admin },
    );
    expect(rest.body).toEqual({
      items: [expect.objectContaining({ model_id: "paged-model" })],
      next_cursor: null,
    });
  });

  it("versions are immutable: 409 on a second registration, the contract unchanged", async () => {
    const again = await postVersion("example-model", { version: "2.0.0", features: [] });
    expectError(again, 409, /already has version "2\.0\.0".*immutable/);
    const read = await call<Version>("GET", "/v2/models/example-model/versions/2.0.0", {
      token: admin,
    });
    expect(read.body.features.map((f) => f.key)).toEqual([
      "route",
      "stops",
      "mode",
      "night_service",
    ]);
  });

  it("422 for invalid feature definitions, listing every problem", async () => {
    const res = await postVersion("example-model", {
      version: "3.0.0",
      features: [
        { key: "route", type: "string", required: true },
        { key: "route", type: "string", required: false },
        { key: "stops", type: "integer", required: false, default: 2.5 },
        { key: "mode", type: "enum", required: false },
        { key: "9lives", type: "boolean", required: false },
        { key: "flag", type: "boolean", required: false, default: "yes" },
      ],
    });
    expectError(res, 422, /Invalid feature definitions/);
    expect(res.body.message).toMatch(/"route".*defined 2 times/);
    expect(res.body.message).toMatch(/"stops".*default 2\.5 is not an integer/);
    expect(res.body.message).toMatch(/"mode".*non-empty allowed_values/);
    expect(res.body.message).toMatch(/"9lives".*key must start with a letter/);
    expect(res.body.message).toMatch(/"flag".*default "yes" is not a boolean/);
    expect(res.body.issues).toHaveLength(5);
    expect(res.body.issues).toEqual(
      expect.arrayContaining([{ path: "features", message: expect.stringMatching(/"mode"/) }]),
    );
    expectError(
      await call("GET", "/v2/models/example-model/versions/3.0.0", { token: admin }),
      404,
      /no version "3\.0\.0"/,
    );
  });

  it("400 for structurally wrong definitions; 404 for an unknown model", async () => {
    const wrongType = await postVersion("example-model", {
      version: "3.0.0",
      features: [{ key: "x", type: "date" }],
    });
    expectError(wrongType, 400, /features/);
    expect(wrongType.body.issues).toEqual([expect.objectContaining({ path: "features.0.type" })]);
    expectError(await postVersion("example-model", { version: "3.0.0" }), 400, /features/);
    expectError(
      await postVersion("ghost-model", { version: "1.0.0", features: [] }),
      404,
      /"ghost-model"/,
    );
  });

  it("?dry_run=true validates a version without registering it", async () => {
    const res = await call<Version>("POST", "/v2/models/example-model/versions?dry_run=true", {
      token: admin,
      body: { version: "3.0.0", features: FEATURES },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ version: "3.0.0", features: FEATURES });
    expectError(
      await call("GET", "/v2/models/example-model/versions/3.0.0", { token: admin }),
      404,
    );
    const dup = await call("POST", "/v2/models/example-model/versions?dry_run=true", {
      token: admin,
      body: { version: "2.0.0", features: FEATURES },
    });
    expectError(dup, 409);
  });

  it("reads a version with its frozen contract", async () => {
    const res = await call<Version>("GET", "/v2/models/example-model/versions/2.0.0", {
      token: admin,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      model_id: "example-model",
      version: "2.0.0",
      created_by: "system:demo-seed",
    });
    expect(res.body.features).toEqual([
      expect.objectContaining({ key: "route", type: "string", required: true }),
      expect.objectContaining({ key: "stops", type: "integer", required: false, default: 10 }),
      expect.objectContaining({
        key: "mode",
        type: "enum",
        required: true,
        default: "bus",
        allowed_values: ["bus", "tram", "train", "ferry"],
      }),
      expect.objectContaining({ key: "night_service", type: "boolean", required: false }),
    ]);
    expect(res.body.features[0]).not.toHaveProperty("default");
    expectError(
      await call("GET", "/v2/models/example-model/versions/9.9.9", { token: admin }),
      404,
      /no version "9\.9\.9"/,
    );
  });

  describe("contract-diff", () => {
    it("1.0.0 to 2.0.0: route added with no default is breaking", async () => {
      const res = await call<{
        model_id: string;
        from: string;
        to: string;
        breaking: boolean;
        changes: Change[];
      }>("GET", "/v2/models/example-model/versions/2.0.0/contract-diff?from=1.0.0", {
        token: admin,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        model_id: "example-model",
        from: "1.0.0",
        to: "2.0.0",
        breaking: true,
      });
      expect(res.body.changes.map((c) => [c.key, c.change, c.impact])).toEqual([
        ["mode", "default_changed", "compatible"],
        ["mode", "required_changed", "compatible"],
        ["night_service", "added", "compatible"],
        ["route", "added", "breaking"],
      ]);
      const route = res.body.changes.find((c) => c.key === "route")!;
      expect(route).toMatchObject({
        from: null,
        to: { key: "route", type: "string", required: true },
      });
      expect(route.reason).toMatch(/required with no default/);
    });

    it("2.0.0 back to 1.0.0 breaks nothing", async () => {
      const res = await call<{ breaking: boolean; changes: Change[] }>(
        "GET",
        "/v2/models/example-model/versions/1.0.0/contract-diff?from=2.0.0",
        { token: admin },
      );
      expect(res.body.breaking).toBe(false);
      expect(res.body.changes.find((c) => c.key === "route")).toMatchObject({
        change: "removed",
        impact: "compatible",
      });
    });

    it("a version against itself has no changes", async () => {
      const res = await call(
        "GET",
        "/v2/models/example-model/versions/2.0.0/contract-diff?from=2.0.0",
        { token: admin },
      );
      expect(res.body).toEqual({
        model_id: "example-model",
        from: "2.0.0",
        to: "2.0.0",
        breaking: false,
        changes: [],
      });
    });

    it("400 without from; 404 for an unknown version on either side", async () => {
      expectError(
        await call("GET", "/v2/models/example-model/versions/2.0.0/contract-diff", {
          token: admin,
        }),
        400,
        /from/,
      );
      expectError(
        await call("GET", "/v2/models/example-model/versions/2.0.0/contract-diff?from=0.0.1", {
          token: admin,
        }),
        404,
        /"0\.0\.1"/,
      );
      expectError(
        await call("GET", "/v2/models/example-model/versions/7.0.0/contract-diff?from=1.0.0", {
          token: admin,
        }),
        404,
        /"7\.0\.0"/,
      );
    });
  });
});
