// `npm run token` records its token in the server's database: listed, revocable, 90 days unless asked otherwise.
// On the embedded default it refuses, with a clear message, while a server holds DATA_DIR.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/open";
import { setDatabase } from "@/lib/server/database";
import type { Database } from "@/db/types";
import { call, token } from "../helpers/api";
import { expectError } from "../helpers/demo";
import { legacyToken } from "../helpers/legacy-token";
import { createScratchPostgres, DRIVERS } from "../helpers/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const DAY = 24 * 3600 * 1000;

type ApiToken = {
  id: string;
  name: string;
  subject: string;
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
};

describe.each(DRIVERS)("npm run token on %s", (driver) => {
  let env: NodeJS.ProcessEnv;
  let cleanup: () => Promise<void> = async () => {};
  let database: Database | undefined;

  beforeAll(async () => {
    const base: NodeJS.ProcessEnv = { ...process.env };
    delete base.DATABASE_URL;
    delete base.DATA_DIR;
    if (driver === "pglite") {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mac-token-cli-"));
      env = { ...base, DATA_DIR: dir };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const scratch = await createScratchPostgres();
      env = { ...base, DATABASE_URL: scratch.url };
      cleanup = scratch.drop;
    }
  }, 120_000);
  afterAll(async () => {
    setDatabase(undefined);
    await database?.close();
    await cleanup();
  });

  const cliWithInput = (input: string, ...args: string[]) => {
    const run = spawnSync(
      process.execPath,
      [TSX, "--import", "./scripts/server-only-hook.mjs", "scripts/token.ts", ...args],
      {
        cwd: ROOT,
        env,
        encoding: "utf8",
        timeout: 120_000,
        input,
      },
    );
    return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr };
  };
  const cli = (...args: string[]) => cliWithInput("", ...args);
  const open = async () => {
    database = await openDatabase(
      driver === "pglite" ? { dataDir: env.DATA_DIR! } : { url: env.DATABASE_URL! },
    );
    setDatabase(database);
  };

  it("records the token: it is listed, expires in 90 days, works, and revoking it locks it out", async () => {
    const before = Date.now();
    const made = cli("--sub", "deployer", "--scope", "assignments:read", "--client", "client-1");
    expect(made.stderr).not.toMatch(/error/i);
    expect(made.status).toBe(0);
    const jwt = made.stdout;
    expect(jwt.split(".")).toHaveLength(3);
    const forever = cli("--sub", "lifer", "--scope", "models:read", "--client", "*", "--no-expiry");
    expect(forever.status).toBe(0);

    await open();
    const admin = await token({ sub: "ops" });
    const list = await call<{ items: ApiToken[] }>("GET", "/v2/tokens", { token: admin });
    const row = list.body.items.find((t) => t.subject === "deployer")!;
    expect(row).toMatchObject({ name: "deployer", revoked_at: null });
    expect(row.created_by).toMatch(/^cli:/);
    expect(Date.parse(row.expires_at!)).toBeGreaterThanOrEqual(before + 90 * DAY - 2000);
    expect(Date.parse(row.expires_at!)).toBeLessThanOrEqual(Date.now() + 90 * DAY);
    expect(list.body.items.find((t) => t.subject === "lifer")?.expires_at).toBeNull();

    expect((await call("GET", "/v2/clients/client-1/domains", { token: jwt })).status).toBe(200);
    const revoked = await call<ApiToken>("POST", `/v2/tokens/${row.id}/revoke`, { token: admin });
    expect(revoked.status).toBe(200);
    expectError(await call("GET", "/v2/clients/client-1/domains", { token: jwt }), 401, /revoked/);
  }, 240_000);

  it("refuses bad arguments without writing", async () => {
    const bad = cli("--sub", "x", "--scope", "root", "--client", "client-1");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown scope.*root/);
    const both = cli(
      "--sub",
      "x",
      "--scope",
      "models:read",
      "--client",
      "*",
      "--no-expiry",
      "--expires-in",
      "3600",
    );
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/either --expires-in or --no-expiry/);
  }, 120_000);

  if (driver === "pglite") {
    it("refuses, saying what to do, while a server holds DATA_DIR", () => {
      // `database` (opened above) holds the folder as a running server would.
      expect(database).toBeDefined();
      const locked = cli("--sub", "late", "--scope", "models:read", "--client", "*");
      expect(locked.status).toBe(2);
      expect(locked.stdout).toBe("");
      expect(locked.stderr).toMatch(/in use by process/);
      expect(locked.stderr).toMatch(/stop the server|Access page/);
    }, 120_000);
  }

  it("adopts a token minted before 0.2.0 (read from stdin): it works again, is listed, and revoking it ends it", async () => {
    const legacy = await legacyToken({
      sub: "old-deployer",
      scopes: ["assignments:read"],
      clients: ["client-1"],
    });
    // The embedded database belongs to one process: the CLI runs with the test's copy closed, as with a server stopped.
    setDatabase(undefined);
    await database?.close();
    database = undefined;
    const adopted = cliWithInput(`${legacy.jwt}\n`, "adopt", "-", "--name", "old deployer");
    expect(adopted.status).toBe(0);
    expect(adopted.stdout).toBe("");
    expect(adopted.stderr).toContain(`adopted as ${legacy.jti}`);
    const twice = cli("adopt", legacy.jwt);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/already recorded/);
    const mixed = cli("adopt", legacy.jwt, "--sub", "someone-else");
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/drop --sub/);

    await open();
    const admin = await token({ sub: "ops" });
    const row = await call<ApiToken & { adopted_at: string | null }>(
      "GET",
      `/v2/tokens/${legacy.jti}`,
      { token: admin },
    );
    expect(row.body).toMatchObject({ name: "old deployer", subject: "old-deployer" });
    expect(row.body.created_by).toMatch(/^cli:/);
    expect(row.body.adopted_at).not.toBeNull();
    expect(Date.parse(row.body.expires_at!)).toBeLessThanOrEqual(Date.now() + 90 * DAY);
    expect((await call("GET", "/v2/clients/client-1/domains", { token: legacy.jwt })).status).toBe(
      200,
    );
    expect((await call("POST", `/v2/tokens/${legacy.jti}/revoke`, { token: admin })).status).toBe(
      200,
    );
    expectError(
      await call("GET", "/v2/clients/client-1/domains", { token: legacy.jwt }),
      401,
      /revoked/,
    );
  }, 240_000);
});
