// Shared by the operations tests: production servers (scripts/server.mjs, the `npm start` entry) on a temporary
// PGlite folder or a scratch PostgreSQL database, and tokens signed with the server's secret.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/open";
import { apiTokens } from "@/db/schema";
import { mintToken } from "@/lib/server/auth/tokens";
import type { Scope } from "@/lib/shared/scopes";
import { freePort } from "../../bench/server";
import { startServer, type RunningServer } from "../helpers/server";
import { createScratchPostgres, type DriverName } from "../helpers/test-database";

const SECRET = "ops-test-secret-0123456789-abcdefghijklmnop";
export const KEY_BASE =
  "/v2/clients/client-1/domains/south_australia/service/service-1/assignments";

export function tempDir(prefix = "mac-ops-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A bearer token the server accepts: recorded in the store's api_tokens (as `npm run token` does) and signed with
 * the server's secret. The embedded database belongs to one process: call this before the server starts.
 */
export async function recordToken(
  store: Store,
  scopes: Scope[] = ["admin"],
  sub = "ops-test",
): Promise<string> {
  const jti = randomUUID();
  const database = await openDatabase({
    url: store.env.DATABASE_URL,
    dataDir: store.dataDir,
    seedDemo: true,
  });
  try {
    await database.db.insert(apiTokens).values({
      id: jti,
      name: `ops test ${sub}`,
      subject: sub,
      scopes,
      clients: ["*"],
      createdBy: "ops-test",
      expiresAt: new Date(Date.now() + 3600_000),
    });
  } finally {
    await database.close();
  }
  return mintToken(
    { sub, scopes, clients: "*", jti, expiresInSeconds: 3600 },
    new TextEncoder().encode(SECRET),
  );
}

/** Where a server's data lives: a PGlite folder or a scratch PostgreSQL database (dropped by `drop`). */
export type Store = { env: Record<string, string>; drop: () => Promise<void>; dataDir?: string };

export async function createStore(driver: DriverName): Promise<Store> {
  if (driver === "postgres") {
    const scratch = await createScratchPostgres();
    return { env: { DATABASE_URL: scratch.url }, drop: scratch.drop };
  }
  const dataDir = tempDir();
  return {
    env: { DATA_DIR: dataDir },
    dataDir,
    drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

export async function startOn(
  store: Store,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  return startServer({
    port: await freePort(),
    env: { AUTH_SECRET: SECRET, SEED_DEMO: "true", ...store.env, ...env },
  });
}

/** The JSON lines a server printed (its request logs among them). */
export function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** Resolves when the server process has exited, with its exit code and signal. */
export function exited(
  server: RunningServer,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}
