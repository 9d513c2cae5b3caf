// Issue 22: a rolling upgrade on PostgreSQL, one case tested. Two instances share one database; the first is
// upgraded to today's code (its start applies the new migrations, which only add: docs/upgrading.md) while the
// other still runs the previous release and keeps writing. The previous release's side is what 0.2.0 really sent
// to PostgreSQL (recorded by scripts/upgrade-fixtures/build.mjs --rolling while its CLI minted a token and its
// routes wrote), sent again here after today's migrations: every statement must still run, and today's code must
// read what it wrote, and the other way round.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/open";
import type { Database } from "@/db/types";
import { setDatabase } from "@/lib/server/database";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import { call, token } from "../helpers/api";
import { FIXTURES_DIR, fixtureVersions, restorePostgres } from "../upgrade/fixtures";

type Statement = { client: number; text: string; params: unknown[] };
type Rolling = { token: string; reads: Record<string, unknown>; statements: Statement[] };
type Revision = { revision: number; model_id: string; model_version: string; status: string };

const DOMAIN = "/v2/clients/client-1/domains/south_australia";
// The newest release whose fixture records its side of a rolling upgrade (docs/upgrading.md: a version that can't
// be rolled from the newest release says "stop every instance" and drops that release's rolling.json).
const PREVIOUS = fixtureVersions()
  .filter((v) => fs.existsSync(path.join(FIXTURES_DIR, v, "rolling.json")))
  .at(-1)!;
const ROLLING_FILE = path.join(FIXTURES_DIR, PREVIOUS ?? "none", "rolling.json");

describe(`rolling upgrade from ${PREVIOUS} on PostgreSQL: an instance of each version on one database`, () => {
  let url: string;
  let drop: () => Promise<void>;
  let upgraded: Database;
  let rolling: Rolling;
  const failures: string[] = [];

  beforeAll(async () => {
    rolling = JSON.parse(fs.readFileSync(ROLLING_FILE, "utf8")) as Rolling;
    ({ url, drop } = await restorePostgres(PREVIOUS));
    // Instance B starts on today's code: it migrates the shared database.
    upgraded = await openDatabase({ url, poolSize: 4 });
    setDatabase(upgraded);
    forgetRevocationCache();
    // Instance A, still the previous release, goes on serving: its statements, on its own connections, in order.
    const connections = new Map<number, pg.Client>();
    for (const statement of rolling.statements) {
      let client = connections.get(statement.client);
      if (!client) {
        client = new pg.Client({ connectionString: url });
        await client.connect();
        connections.set(statement.client, client);
      }
      try {
        await client.query(statement.text, statement.params);
      } catch (error) {
        failures.push(`${statement.text.slice(0, 120)}: ${(error as Error).message}`);
      }
    }
    await Promise.all([...connections.values()].map((c) => c.end()));
  });
  afterAll(async () => {
    setDatabase(undefined);
    await upgraded?.close();
    await drop?.();
  });

  it("has a release that recorded its side of the upgrade", () => {
    expect(PREVIOUS).toBeDefined();
    expect(rolling.statements.length).toBeGreaterThan(20);
    // Its CLI started against the migrated database (its own migrator found nothing to do) and wrote a token.
    expect(rolling.statements.some((s) => /__drizzle_migrations/.test(s.text))).toBe(true);
    expect(rolling.statements.some((s) => /insert into "api_tokens"/.test(s.text))).toBe(true);
  });

  it("runs every statement of the previous release against the migrated schema", () => {
    expect(failures).toEqual([]);
  });

  it("reads with today's code what the previous release wrote meanwhile", async () => {
    const admin = await token({ sub: "rolling-admin" });
    for (const key of ["default", "rolling"]) {
      const url = `${DOMAIN}/assignments/${key}`;
      const res = await call<Revision>("GET", url, { token: admin });
      expect(res.status).toBe(200);
      const old = rolling.reads[url] as Revision;
      const pick = (r: Revision) => ({
        revision: r.revision,
        model_id: r.model_id,
        model_version: r.model_version,
        status: r.status,
      });
      expect(pick(res.body)).toEqual(pick(old));
    }
    // The token the previous release's CLI minted during the upgrade works on the upgraded instance.
    const domains = await call("GET", "/v2/clients/client-1/domains", { token: rolling.token });
    expect(domains.status).toBe(200);
    const jti = JSON.parse(Buffer.from(rolling.token.split(".")[1]!, "base64url").toString("utf8"))
      .jti as string;
    const row = await call<{ subject: string; adopted_at: string | null }>(
      "GET",
      `/v2/tokens/${jti}`,
      { token: admin },
    );
    expect(row.body).toMatchObject({ subject: "rolling-bot", adopted_at: null });
  });

  it("lets the previous release read what today's code wrote (its token check on a token made today)", async () => {
    const admin = await token({ sub: "rolling-admin-2" });
    const made = await call<{ id: string; token: string }>("POST", "/v2/tokens", {
      token: admin,
      body: { name: "made today", scopes: ["models:read"], clients: "*" },
    });
    expect(made.status).toBe(201);
    // The previous release's own token check (the statement it sends on a machine's request), on today's row.
    const check = rolling.statements.find((s) =>
      /^select "revoked_at", "last_used_at" from "api_tokens"/.test(s.text),
    );
    expect(check).toBeDefined();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(check!.text, [made.body.id]);
      expect(rows).toEqual([{ revoked_at: null, last_used_at: null }]);
    } finally {
      await client.end();
    }
  });
});
