// Observed state: reports (single and batch), the sync state of each service per key, the contract hash in the
// registry and the effective reads, and sync changes on the change feed (docs/observed-state.md).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { contractHash } from "@/db/contract-hash";
import { advanceClock, freezeClock, resetClock } from "@/lib/server/clock";
import { call, DOMAIN_DEFAULT, token } from "../helpers/api";
import {
  CLIENT,
  DOMAIN,
  expectError,
  resetDemo,
  service,
  serviceAssignment,
  V2,
} from "../helpers/demo";
import { loggingDatabase } from "../helpers/statement-log";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";
import { reportObservations } from "@/lib/server/observations/report-observations";
import { readSyncStatus } from "@/lib/server/observations/sync-status";
import type { ObservationItem } from "@/lib/schemas/observations";

type Json = Record<string, unknown>;
type Status = {
  service_id: string;
  sync: string;
  since: string | null;
  last_seen: string | null;
  desired: Json | null;
  observed: Json | null;
};
type StatusPage = {
  counts: Record<string, number>;
  items: Status[];
  next_cursor: string | null;
};
type Change = {
  kind: string;
  action: string;
  service_id?: string;
  sync?: string;
  previous_sync?: string;
};

const observed = (s: string, key = "default") => `${service(s)}/observed/${key}`;
const BATCH = `${DOMAIN}/observations`;
const STATUS = `${DOMAIN}/assignments/default/status`;

describe.each(DRIVERS)("observed state on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let reporter: string;
  let v1Hash: string;
  let v2Hash: string;
  let defaultId: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token();
    reporter = await token({
      sub: "fleet-reporter",
      scopes: ["observations:write"],
      clients: ["client-1"],
    });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await resetDemo(tdb);
    const v1 = await call<{ features: unknown; contract_hash: string }>(
      "GET",
      "/v2/models/example-model/versions/1.0.0",
      { token: admin },
    );
    v1Hash = v1.body.contract_hash;
    v2Hash = (
      await call<{ contract_hash: string }>("GET", "/v2/models/example-model/versions/2.0.0", {
        token: admin,
      })
    ).body.contract_hash;
    defaultId = (await call<{ assignment_id: string }>("GET", DOMAIN_DEFAULT, { token: admin }))
      .body.assignment_id;
  });
  afterEach(() => resetClock());

  const report = (serviceId: string, body: Json, bearer = reporter, query = "") =>
    call<Json>("PUT", `${observed(serviceId)}${query}`, { token: bearer, body });
  const status = async (query = "") =>
    (await call<StatusPage>("GET", `${STATUS}${query}`, { token: admin })).body;
  const one = async (serviceId: string) =>
    (await status()).items.find((i) => i.service_id === serviceId);
  const changesAfter = async (cursor: string) =>
    (
      await call<{ items: Change[]; next_cursor: string }>(
        "GET",
        `${DOMAIN}/changes?after=${cursor}`,
        { token: admin },
      )
    ).body;
  const head = async () =>
    (await call<{ next_cursor: string }>("GET", `${DOMAIN}/changes?after=latest`, { token: admin }))
      .body.next_cursor;
  const v1Report = () => ({
    assignment_id: defaultId,
    model_id: "example-model",
    model_version: "1.0.0",
    contract_hash: v1Hash,
    state: "loaded",
  });

  describe("contract hash", () => {
    it("each version shows the SHA-256 of its contract in canonical JSON", async () => {
      const res = await call<{ features: unknown; contract_hash: string }>(
        "GET",
        "/v2/models/example-model/versions/2.0.0",
        { token: admin },
      );
      expect(res.body.contract_hash).toBe(contractHash(res.body.features));
      const created = await call<{ contract_hash: string; features: unknown }>(
        "POST",
        "/v2/models/example-model/versions",
        {
          token: admin,
          body: {
            version: "3.0.0",
            features: [
              {
                key: "zone",
                type: "enum",
                required: false,
                default: "a",
                allowed_values: ["a", "b"],
                description: 'say "hi"\n',
              },
              { key: "stops", type: "integer", required: true },
            ],
          },
        },
      );
      expect(created.status).toBe(201);
      expect(created.body.contract_hash).toBe(contractHash(created.body.features));
    });

    it("the migration's SQL canonical form gives the same hash as the app (the backfill of older versions)", async () => {
      await call("POST", "/v2/models/example-model/versions", {
        token: admin,
        body: {
          version: "3.1.0",
          features: [
            {
              key: "ünïcode_ok",
              type: "number",
              required: false,
              default: 0.25,
              description: 'tab\tquote"é',
            },
          ],
        },
      }).catch(() => undefined);
      const rows = await tdb.database.query<{ contract_hash: string; sql_hash: string }>(
        `select contract_hash, encode(sha256(convert_to(canonical_json(features), 'UTF8')), 'hex') as sql_hash from model_versions`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const r of rows) expect(r.sql_hash).toBe(r.contract_hash);
    });

    it("effective reads carry the contract hash of the assigned version (single and whole domain)", async () => {
      const single = await call<Json>("GET", `${serviceAssignment("service-1")}/effective`, {
        token: admin,
      });
      expect(single.body).toMatchObject({ model_version: "1.0.0", contract_hash: v1Hash });
      const own = await call<Json>("GET", `${serviceAssignment("svc-002")}/effective`, {
        token: admin,
      });
      expect(own.body).toMatchObject({ model_version: "2.0.0", contract_hash: v2Hash });
      const whole = await call<{
        items: { service_id: string; contract_hash: string; assignment: Json }[];
      }>("GET", `${DOMAIN}/assignments/default/effective`, { token: admin });
      expect(whole.status).toBe(200);
      for (const item of whole.body.items)
        expect(item.contract_hash).toBe(
          item.assignment.model_version === "2.0.0" ? v2Hash : v1Hash,
        );
      expect(whole.body.items.find((i) => i.service_id === "svc-002")?.contract_hash).toBe(v2Hash);
    });
  });

  describe("reports and sync states", () => {
    it("the demo shows every state", async () => {
      const page = await status();
      const by = Object.fromEntries(page.items.map((i) => [i.service_id, i.sync]));
      expect(by).toMatchObject({
        "service-1": "synced",
        "svc-001": "out_of_sync",
        "svc-002": "contract_mismatch",
        "svc-003": "failed",
        "svc-004": "unknown",
        "svc-005": "unknown",
      });
      expect(by["svc-009"]).toBeUndefined(); // departed
      expect(page.counts).toMatchObject({
        total: page.items.length,
        synced: 1,
        failed: 1,
        contract_mismatch: 1,
      });
    });

    it("a first report turns unknown into synced, publishes one change, and the same report again publishes none", async () => {
      const before = await head();
      const first = await report("svc-005", v1Report());
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        service_id: "svc-005",
        assignment_key: "default",
        sync: "synced",
        previous_sync: "unknown",
        changed: true,
      });
      const feed = await changesAfter(before);
      expect(feed.items).toHaveLength(1);
      expect(feed.items[0]).toMatchObject({
        kind: "service",
        action: "sync_changed",
        service_id: "svc-005",
        assignment_key: "default",
        sync: "synced",
        previous_sync: "unknown",
        actor: "fleet-reporter",
      });
      const again = await report("svc-005", v1Report());
      expect(again.body).toMatchObject({ sync: "synced", changed: false, since: first.body.since });
      expect((await changesAfter(feed.next_cursor)).items).toHaveLength(0);
      const row = await one("svc-005");
      expect(row).toMatchObject({ sync: "synced", since: first.body.since });
      expect(row?.observed).toMatchObject({
        model_version: "1.0.0",
        reported_by: "fleet-reporter",
        state: "loaded",
      });
      expect(row?.desired).toMatchObject({
        assignment_id: defaultId,
        source: "domain_default",
        contract_hash: v1Hash,
      });
    });

    it("writes no revision and no audit entry", async () => {
      const [{ n: audits }] = await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from audit_log`,
      );
      const [{ n: revisions }] = await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from assignments`,
      );
      await report("svc-005", v1Report());
      await report("svc-005", { ...v1Report(), state: "failed", message: "oom" });
      const [{ n: audits2 }] = await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from audit_log`,
      );
      const [{ n: revisions2 }] = await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from assignments`,
      );
      expect([audits2, revisions2]).toEqual([audits, revisions]);
      const [{ n: rows }] = await tdb.database.query<{ n: number }>(
        `select count(*)::int as n from observations where service_id = 'svc-005'`,
      );
      expect(rows).toBe(1);
    });

    it("each transition: synced → contract_mismatch → failed → out_of_sync (loading) → out_of_sync (other version) → synced", async () => {
      const before = await head();
      expect((await report("svc-005", v1Report())).body.sync).toBe("synced");
      expect(
        (await report("svc-005", { ...v1Report(), contract_hash: v2Hash })).body,
      ).toMatchObject({
        sync: "contract_mismatch",
        previous_sync: "synced",
      });
      expect(
        (await report("svc-005", { ...v1Report(), state: "failed", message: "no GPU" })).body.sync,
      ).toBe("failed");
      expect((await one("svc-005"))?.observed).toMatchObject({
        state: "failed",
        message: "no GPU",
      });
      expect((await report("svc-005", { ...v1Report(), state: "loading" })).body.sync).toBe(
        "out_of_sync",
      );
      expect(
        (
          await report("svc-005", {
            model_id: "example-model",
            model_version: "2.0.0",
            contract_hash: v2Hash,
            state: "loaded",
          })
        ).body,
      ).toMatchObject({ sync: "out_of_sync", changed: false });
      expect(
        (
          await report("svc-005", {
            model_id: "example-model",
            model_version: "1.0.0",
            state: "loaded",
          })
        ).body.sync,
      ).toBe("synced");
      const feed = await changesAfter(before);
      expect(feed.items.map((c) => [c.previous_sync, c.sync])).toEqual([
        ["unknown", "synced"],
        ["synced", "contract_mismatch"],
        ["contract_mismatch", "failed"],
        ["failed", "out_of_sync"],
        ["out_of_sync", "synced"],
      ]);
    });

    it("a move of what should run turns a synced service out_of_sync without a report, and its report then syncs it", async () => {
      await report("service-1", v1Report());
      expect((await one("service-1"))?.sync).toBe("synced");
      const own = await call<{ assignment_id: string; created_at: string }>(
        "PUT",
        serviceAssignment("service-1"),
        {
          token: admin,
          body: {
            ...V2,
            service_updates: [{ service_id: "service-1", static_features: { route: "route-a" } }],
          },
        },
      );
      expect(own.status).toBe(200);
      const moved = await one("service-1");
      expect(moved).toMatchObject({ sync: "out_of_sync", since: own.body.created_at });
      expect(moved?.desired).toMatchObject({
        assignment_id: own.body.assignment_id,
        model_version: "2.0.0",
      });
      const res = await report("service-1", {
        assignment_id: own.body.assignment_id,
        model_id: "example-model",
        model_version: "2.0.0",
        contract_hash: v2Hash,
        state: "loaded",
      });
      expect(res.body).toMatchObject({
        sync: "synced",
        previous_sync: "out_of_sync",
        changed: true,
      });
    });

    it("a report older than stale_after is unknown, without any write; a new report brings it back", async () => {
      freezeClock();
      await report("svc-005", v1Report());
      await call("PATCH", CLIENT, { token: admin, body: { stale_after: 60 } });
      const before = await head();
      advanceClock(59_000);
      expect((await one("svc-005"))?.sync).toBe("synced");
      advanceClock(2_000);
      const stale = await one("svc-005");
      expect(stale?.sync).toBe("unknown");
      expect(stale?.last_seen).not.toBeNull();
      expect(Date.parse(stale!.since!) - Date.parse(stale!.last_seen!)).toBe(60_000);
      expect((await changesAfter(before)).items).toHaveLength(0);
      const back = await report("svc-005", v1Report());
      expect(back.body).toMatchObject({ sync: "synced", previous_sync: "unknown", changed: true });
    });

    it("stale_after defaults to 10 minutes (client-2)", async () => {
      const put = await call<Json>(
        "PUT",
        "/v2/clients/client-2/domains/tasmania/service/svc-201/observed/default",
        {
          token: admin,
          body: { model_id: "example-model", model_version: "2.0.0", state: "loaded" },
        },
      );
      expect(put.body.sync).toBe("synced");
      const client = await call<Json>("GET", "/v2/clients/client-2", { token: admin });
      expect(client.body.stale_after).toBe(600);
      const read = async () =>
        (
          await call<StatusPage>(
            "GET",
            "/v2/clients/client-2/domains/tasmania/assignments/default/status",
            { token: admin },
          )
        ).body.items[0]?.sync;
      advanceClock(9 * 60_000);
      expect(await read()).toBe("synced");
      advanceClock(61_000);
      expect(await read()).toBe("unknown");
    });

    it("stale_after is validated on the client's PATCH", async () => {
      expectError(
        await call("PATCH", CLIENT, { token: admin, body: { stale_after: 5 } }),
        400,
        /at least 10 seconds/,
      );
      expectError(
        await call("PATCH", CLIENT, { token: admin, body: { stale_after: 1.5 } }),
        400,
        /whole number/,
      );
      const ok = await call<Json>("PATCH", CLIENT, { token: admin, body: { stale_after: 120 } });
      expect(ok.body.stale_after).toBe(120);
    });

    it("?dry_run=true answers the same and writes nothing", async () => {
      const before = await head();
      const dry = await report("svc-005", v1Report(), reporter, "?dry_run=true");
      expect(dry.body).toMatchObject({ sync: "synced", changed: true });
      expect((await one("svc-005"))?.sync).toBe("unknown");
      expect(await head()).toBe(before);
    });
  });

  describe("validation, scopes and tenancy", () => {
    it("clear 4xx for bad reports", async () => {
      expectError(await report("svc-005", { ...v1Report(), state: "running" }), 400, /state/);
      expectError(
        await report("svc-005", { ...v1Report(), contract_hash: "abc" }),
        400,
        /contract_hash/,
      );
      expectError(await report("svc-005", { state: "loaded" }), 400, /model_id/);
      expectError(await report("svc-005", { ...v1Report(), extra: 1 }), 400);
      expectError(await report("svc-404", v1Report()), 404, /Service "svc-404" not found/);
      expectError(await report("svc-009", v1Report()), 422, /departed/);
      expectError(
        await report("svc-005", { ...v1Report(), model_version: "9.9.9" }),
        422,
        /no version "9.9.9"/,
      );
      expectError(
        await report("svc-005", {
          ...v1Report(),
          assignment_id: "00000000-0000-4000-8000-000000000000",
        }),
        422,
        /not a revision of key "default"/,
      );
      expectError(
        await report("svc-005", { ...v1Report(), model_version: "2.0.0" }),
        422,
        /assigns example-model@1.0.0/,
      );
      expectError(
        await call(
          "PUT",
          "/v2/clients/client-1/domains/victoria/service/svc-101/observed/default",
          {
            token: admin,
            body: v1Report(),
          },
        ),
        422,
        /not active/,
      );
      expectError(
        await call(
          "PUT",
          "/v2/clients/client-1/domains/atlantis/service/svc-101/observed/default",
          {
            token: admin,
            body: v1Report(),
          },
        ),
        404,
        /atlantis/,
      );
    });

    it("an observations:write token reports but can't change assignments or services, nor read", async () => {
      expect((await report("svc-005", v1Report())).status).toBe(200);
      expectError(
        await call("PUT", serviceAssignment("svc-005"), { token: reporter, body: V2 }),
        403,
        /assignments:write/,
      );
      expectError(
        await call("PATCH", service("svc-005"), { token: reporter, body: { name: "x" } }),
        403,
      );
      expectError(await call("GET", STATUS, { token: reporter }), 403);
    });

    it("assignments:write includes observations:write; assignments:read does not", async () => {
      const writer = await token({ scopes: ["assignments:write"] });
      expect((await report("svc-005", v1Report(), writer)).status).toBe(200);
      const reader = await token({ scopes: ["assignments:read"] });
      expectError(await report("svc-005", v1Report(), reader), 403, /observations:write/);
      expectError(await call("POST", BATCH, { token: reader, body: { items: [] } }), 403);
    });

    it("another client's service: 403 for a token of client-1, and reports name only the path's domain", async () => {
      expectError(
        await call(
          "PUT",
          "/v2/clients/client-2/domains/tasmania/service/svc-201/observed/default",
          {
            token: reporter,
            body: { model_id: "example-model", model_version: "2.0.0", state: "loaded" },
          },
        ),
        403,
      );
      // svc-201 is client-2's: reported under client-1's domain it is not found.
      expectError(await report("svc-201", v1Report()), 404, /svc-201/);
      const batch = await call<{ results: { status: number }[] }>("POST", BATCH, {
        token: reporter,
        body: { items: [{ service_id: "svc-201", assignment_key: "default", ...v1Report() }] },
      });
      expect(batch.body.results[0]?.status).toBe(404);
    });
  });

  describe("batches", () => {
    it("answers every item: bad ones named with their status, good ones kept", async () => {
      const before = await head();
      const res = await call<{ accepted: number; rejected: number; results: Json[] }>(
        "POST",
        BATCH,
        {
          token: reporter,
          body: {
            items: [
              { service_id: "svc-005", assignment_key: "default", ...v1Report() },
              { service_id: "svc-404", assignment_key: "default", ...v1Report() },
              {
                service_id: "svc-006",
                assignment_key: "default",
                ...v1Report(),
                state: "exploded",
              },
              { service_id: "svc-009", assignment_key: "default", ...v1Report() },
              { service_id: "svc-005", assignment_key: "default", ...v1Report() },
              {
                service_id: "svc-007",
                assignment_key: "default",
                ...v1Report(),
                contract_hash: v2Hash,
              },
              "not an object",
            ],
          },
        },
      );
      // A non-object item is refused by the body's schema as a whole: the batch takes objects.
      expect(res.status).toBe(400);
      const ok = await call<{ accepted: number; rejected: number; results: Json[] }>(
        "POST",
        BATCH,
        {
          token: reporter,
          body: {
            items: [
              { service_id: "svc-005", assignment_key: "default", ...v1Report() },
              { service_id: "svc-404", assignment_key: "default", ...v1Report() },
              {
                service_id: "svc-006",
                assignment_key: "default",
                ...v1Report(),
                state: "exploded",
              },
              { service_id: "svc-009", assignment_key: "default", ...v1Report() },
              { service_id: "svc-005", assignment_key: "default", ...v1Report() },
              {
                service_id: "svc-007",
                assignment_key: "default",
                ...v1Report(),
                contract_hash: v2Hash,
              },
            ],
          },
        },
      );
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ accepted: 2, rejected: 4 });
      expect(ok.body.results.map((r) => [r.index, r.status, r.service_id])).toEqual([
        [0, 200, "svc-005"],
        [1, 404, "svc-404"],
        [2, 400, "svc-006"],
        [3, 422, "svc-009"],
        [4, 400, "svc-005"],
        [5, 200, "svc-007"],
      ]);
      expect(ok.body.results[2]?.message).toMatch(/state/);
      expect(ok.body.results[4]?.message).toMatch(/twice/);
      expect(ok.body.results[5]).toMatchObject({ result: { sync: "contract_mismatch" } });
      const feed = await changesAfter(before);
      expect(feed.items.map((c) => [c.service_id, c.sync])).toEqual([
        ["svc-005", "synced"],
        ["svc-007", "contract_mismatch"],
      ]);
      expect((await one("svc-006"))?.sync).toBe("unknown");
    });

    it("refuses an empty body or more than 10,000 items", async () => {
      expectError(
        await call("POST", BATCH, { token: reporter, body: { items: [] } }),
        400,
        /at least one/,
      );
      const items = Array.from({ length: 10_001 }, () => ({}));
      expectError(
        await call("POST", BATCH, { token: reporter, body: { items } }),
        400,
        /at most 10000/,
      );
    });

    it("10,000 reports in one body: every item answered, in a constant number of statements", async () => {
      await tdb.database.query(
        `insert into services (client_id, domain_id, id, name, provided_features)
         select 'client-1', 'south_australia', 'bulk-' || lpad(g::text, 5, '0'), null, '{"mode":"bus"}'::jsonb
         from generate_series(1, 10000) g`,
      );
      const items: ObservationItem[] = Array.from({ length: 10_000 }, (_, i) => ({
        service_id: i === 4321 ? "bulk-missing" : `bulk-${String(i + 1).padStart(5, "0")}`,
        assignment_key: "default",
        model_id: "example-model",
        model_version: "1.0.0",
        contract_hash: i % 10 === 0 ? v2Hash : v1Hash,
        state: "loaded",
      }));
      const res = await call<{
        accepted: number;
        rejected: number;
        results: { index: number; status: number }[];
      }>("POST", BATCH, { token: reporter, body: { items } });
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(10_000);
      expect(res.body.results.every((r, i) => r.index === i)).toBe(true);
      expect(res.body).toMatchObject({ accepted: 9_999, rejected: 1 });
      expect(res.body.results[4321]).toMatchObject({ status: 404 });
      const page = await status("?limit=10000&q=bulk-");
      // Every bulk service should run the domain default: the one whose report was refused is still unknown.
      expect(page.items).toHaveLength(10_000);
      expect(page.items.filter((i) => i.observed !== null)).toHaveLength(9_999);
      expect(page.items.find((i) => i.service_id === "bulk-04322")).toMatchObject({
        sync: "unknown",
        observed: null,
      });
      expect(page.items.filter((i) => i.sync === "contract_mismatch")).toHaveLength(1_000);

      // The statements of a batch do not grow with its size.
      const texts: string[] = [];
      const logged = loggingDatabase(tdb.database, (t) => texts.push(t));
      const outcomes = await reportObservations(logged, {
        clientId: "client-1",
        domainId: "south_australia",
        actor: { subject: "t", scopes: new Set(["admin"]), clients: "*", via: "token" },
        items: items.map((item, index) => ({ index, item: { ...item, state: "failed" } })),
      });
      expect(outcomes).toHaveLength(10_000);
      expect(texts.length).toBeLessThanOrEqual(4);
      expect((await status("?sync=failed&limit=1")).counts.failed).toBeGreaterThanOrEqual(9_999);
    }, 120_000);
  });

  describe("status", () => {
    it("filters by sync state and text, pages with a cursor, and counts all services", async () => {
      const all = await status();
      const notSynced = await status("?sync=out_of_sync,contract_mismatch,failed,unknown");
      expect(notSynced.items.every((i) => i.sync !== "synced")).toBe(true);
      expect(notSynced.counts).toEqual(all.counts);
      expect((await status("?q=svc-00")).items.every((i) => i.service_id.includes("svc-00"))).toBe(
        true,
      );
      const first = await status("?limit=2");
      expect(first.items).toHaveLength(2);
      const second = await status(`?limit=2&cursor=${first.next_cursor}`);
      expect(second.items[0]?.service_id > first.items[1]!.service_id).toBe(true);
      expect(
        (await status("?service_ids=svc-003,service-1")).items.map((i) => i.service_id),
      ).toEqual(["service-1", "svc-003"]);
      expectError(
        await call("GET", `${STATUS}?sync=sleepy`, { token: admin }),
        400,
        /unknown sync state "sleepy"/,
      );
      expectError(
        await call("GET", `${CLIENT}/domains/atlantis/assignments/default/status`, {
          token: admin,
        }),
        404,
      );
    });

    it("readSyncStatus answers a set of targets in one statement (the rollout gates' read)", async () => {
      const texts: string[] = [];
      const logged = loggingDatabase(tdb.database, (t) => texts.push(t));
      const targets = await readSyncStatus(logged, [
        { clientId: "client-1", domainId: "south_australia", key: "default" },
        { clientId: "client-2", domainId: "tasmania", key: "default" },
        { clientId: "client-1", domainId: "nowhere", key: "default" },
      ]);
      expect(texts).toHaveLength(1);
      expect(targets.map((t) => [t.domainId, t.exists, t.counts.total])).toEqual([
        ["south_australia", true, (await status()).counts.total],
        ["tasmania", true, 1],
        ["nowhere", false, 0],
      ]);
      expect(targets[1]?.services[0]).toMatchObject({ service_id: "svc-201", sync: "unknown" });
    });
  });
});
