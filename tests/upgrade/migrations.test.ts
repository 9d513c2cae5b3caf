// Issue 22: a database made by every earlier version (tests/upgrade/fixtures, built from each version's commit by
// its own code) opens under today's code on both drivers: the migrations apply, every read answers what that
// version answered (fields may be added, none lost or changed), writes work afterwards, and that version's
// machine token either works (recorded since 0.2.0) or answers 401 saying how to adopt it, and works once adopted.
// A migration that can't run on an old database, or that changes its data, fails here.
import fs from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { contractHash } from "@/db/contract-hash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, assignments } from "@/db/schema";
import { isReady, openDatabase } from "@/db/open";
import type { Database } from "@/db/types";
import { setDatabase } from "@/lib/server/database";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import { call, token } from "../helpers/api";
import { expectError } from "../helpers/demo";
import { createScratchPostgres, DRIVERS, type DriverName } from "../helpers/test-database";
import {
  compareVersions,
  fixtureVersions,
  pgliteDataDir,
  readFixture,
  restorePostgres,
} from "./fixtures";

const ROOT = path.resolve(import.meta.dirname, "../..");
const JOURNAL = JSON.parse(
  fs.readFileSync(path.join(ROOT, "db", "migrations", "meta", "_journal.json"), "utf8"),
) as { entries: { tag: string }[] };
const DOMAIN = "/v2/clients/client-1/domains/south_australia";

type Revision = { assignment_id: string; revision: number; status: string; model_version: string };

const VERSIONS = fixtureVersions();

/** Tables, columns, indexes and triggers: what a database's schema is, in a comparable form. */
async function schemaOf(database: Database): Promise<unknown> {
  const [columns, indexes, triggers] = await Promise.all([
    database.query(
      `select table_name, column_name, data_type, is_nullable, column_default
         from information_schema.columns where table_schema = 'public'
        order by table_name, column_name`,
    ),
    database.query(
      `select tablename, indexname, indexdef from pg_indexes where schemaname = 'public'
        order by tablename, indexname`,
    ),
    database.query(
      `select event_object_table, trigger_name, event_manipulation, action_timing, action_statement
         from information_schema.triggers where trigger_schema = 'public'
        order by event_object_table, trigger_name, event_manipulation`,
    ),
  ]);
  return { columns, indexes, triggers };
}

// The schema today's migrations give a fresh database, once per driver.
const freshSchemas = new Map<DriverName, Promise<unknown>>();
function freshSchema(driver: DriverName): Promise<unknown> {
  let schema = freshSchemas.get(driver);
  if (!schema) {
    schema = (async () => {
      if (driver === "pglite") {
        const fresh = await openDatabase({ dataDir: "memory://" });
        try {
          return await schemaOf(fresh);
        } finally {
          await fresh.close();
        }
      }
      const scratch = await createScratchPostgres();
      const fresh = await openDatabase({ url: scratch.url, poolSize: 2 });
      try {
        return await schemaOf(fresh);
      } finally {
        await fresh.close();
        await scratch.drop();
      }
    })();
    freshSchemas.set(driver, schema);
  }
  return schema;
}

describe("upgrade fixtures", () => {
  it("exist for 0.1.0 and 0.2.0, each with both drivers' databases", () => {
    expect(VERSIONS).toEqual(expect.arrayContaining(["0.1.0", "0.2.0"]));
    for (const version of VERSIONS) {
      const fixture = readFixture(version);
      expect(fixture.version).toBe(version);
      expect(fixture.commit).toMatch(/^[0-9a-f]{40}$/);
      // Every migration a fixture had is still one of today's, under the same name and in the same place.
      expect(JOURNAL.entries.slice(0, fixture.migrations.length).map((e) => e.tag)).toEqual(
        fixture.migrations,
      );
    }
  });
});

describe.each(VERSIONS.flatMap((version) => DRIVERS.map((driver) => [version, driver] as const)))(
  "a database made by %s on %s, opened by today's code",
  (version, driver) => {
    const fixture = readFixture(version);
    const made = fixture.drivers[driver];
    let database: Database;
    let drop = async () => {};
    let admin: string;

    beforeAll(async () => {
      forgetRevocationCache();
      if (driver === "pglite") {
        database = await openDatabase({
          dataDir: "memory://",
          loadDataDir: pgliteDataDir(version),
        });
      } else {
        const restored = await restorePostgres(version);
        drop = restored.drop;
        database = await openDatabase({ url: restored.url, poolSize: 4 });
      }
      setDatabase(database);
      admin = await token({ sub: "upgrade-admin" });
    });
    afterAll(async () => {
      setDatabase(undefined);
      await database?.close();
      await drop();
    });

    it("has every migration applied, the ones since that version included", async () => {
      expect(fixture.migrations.length).toBeLessThan(JOURNAL.entries.length);
      expect(await isReady(database)).toBe(true);
      const [applied] = await database.query<{ n: number }>(
        "select count(*)::int as n from drizzle.__drizzle_migrations",
      );
      expect(applied!.n).toBe(JOURNAL.entries.length);
    });

    it("has the schema a fresh database gets from today's migrations (no migration edited in place)", async () => {
      expect(await schemaOf(database)).toEqual(await freshSchema(driver));
    });

    it("answers every read as that version did (revisions, the domain move, service patches)", async () => {
      const urls = Object.keys(made.reads);
      expect(urls.length).toBeGreaterThanOrEqual(8);
      for (const url of urls) {
        const res = await call("GET", url, { token: admin });
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
        expect(res.body).toMatchObject(made.reads[url] as Record<string, unknown>);
      }
      // The data the reads stand for, spelled out: the move to 2.0.0 with the features it needed.
      const svc006 = await call<{ provided_features: Record<string, unknown> }>(
        "GET",
        `${DOMAIN}/service/svc-006`,
        { token: admin },
      );
      expect(svc006.body.provided_features).toMatchObject({
        route: "route-f",
        night_service: true,
      });
      const night = await call<{ items: Revision[] }>(
        "GET",
        `${DOMAIN}/assignments/night/revisions`,
        { token: admin },
      );
      expect(night.body.items.map((r) => r.status)).toEqual(["active", "archived"]);
    });

    it("has the contract hash of every version it registered, as the app computes it (the migration's backfill)", async () => {
      const versions = await database.query<{ features: unknown; contract_hash: string }>(
        `select features, contract_hash from model_versions`,
      );
      expect(versions.length).toBeGreaterThanOrEqual(2);
      for (const v of versions) expect(v.contract_hash).toBe(contractHash(v.features));
    });

    it("fills the hash of a version an earlier release registers during a rolling upgrade (no contract_hash sent)", async () => {
      const features = [{ key: "route", type: "string", required: true }];
      await database.query(
        `insert into model_versions (model_id, version, features, created_by) values ('example-model', '9.9.9-rolling', $1::jsonb, 'release 0.2.0')`,
        [JSON.stringify(features)],
      );
      const [row] = await database.query<{ contract_hash: string; features: unknown }>(
        `select contract_hash, features from model_versions where version = '9.9.9-rolling'`,
      );
      expect(row!.contract_hash).toBe(contractHash(row!.features));
      await database.query(`delete from model_versions where version = '9.9.9-rolling'`);
    });

    it("takes writes afterwards: a new revision archives the old one, readable by id", async () => {
      const before = made.reads[`${DOMAIN}/assignments/default`] as Revision;
      const put = await call<Revision>("PUT", `${DOMAIN}/assignments/default`, {
        token: admin,
        body: { model_id: "example-model", model_version: "1.0.0" },
        headers: { "x-change-reason": "after the upgrade" },
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ revision: before.revision + 1, model_version: "1.0.0" });
      const old = await call<Revision>("GET", `/v2/assignments/${before.assignment_id}`, {
        token: admin,
      });
      expect(old.body).toMatchObject({ status: "archived", model_version: "2.0.0" });
      const [active] = await database.db
        .select({ n: count() })
        .from(assignments)
        .where(eq(assignments.status, "active"));
      expect(active!.n).toBeGreaterThan(0);
      // The whole-domain read, the change feed and the audit log (tables added after 0.1.0) take the write in.
      const changes = await call<{ items: unknown[] }>("GET", `${DOMAIN}/changes`, {
        token: admin,
      });
      expect(changes.status).toBe(200);
      expect(changes.body.items.length).toBeGreaterThan(0);
      const audit = await call<{ items: { reason: string | null }[] }>(
        "GET",
        "/v2/audit?client_id=client-1&limit=1",
        { token: admin },
      );
      expect(audit.body.items[0]?.reason).toBe("after the upgrade");
    });

    it("keeps that version's machine token working, or refuses it saying how to adopt it", async () => {
      const jti = JSON.parse(Buffer.from(made.token.split(".")[1]!, "base64url").toString("utf8"))
        .jti as string;
      const domains = () => call("GET", "/v2/clients/client-1/domains", { token: made.token });
      if (compareVersions(version, "0.2.0") < 0) {
        // Minted without a record: refused until adopted (the token change of 0.2.0).
        expectError(await domains(), 401, /npm run token -- adopt <JWT>/);
        const adopted = await call("POST", "/v2/tokens/adopt", {
          token: admin,
          body: { token: made.token },
        });
        expect(adopted.status).toBe(201);
        expect(adopted.body).toMatchObject({ id: jti, subject: "fixture-deployer" });
      }
      expect((await domains()).status).toBe(200);
      const [row] = await database.db.select().from(apiTokens).where(eq(apiTokens.id, jti));
      expect(row?.revokedAt).toBeNull();
      expect(row?.subject).toBe("fixture-deployer");
    });
  },
);
