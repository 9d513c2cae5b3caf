// Shared by the operations tests: production servers (scripts/server.mjs, the `npm start` entry) on a temporary
// PGlite folder or a scratch PostgreSQL database, and tokens signed with the server's secret.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { mintToken } from "@/lib/auth/tokens";
import type { Scope } from "@/lib/auth/scopes";
import { freePort } from "../../bench/server";
import { startServer, type RunningServer } from "../helpers/server";
import { createScratchPostgres, type DriverName } from "../helpers/test-database";

export const SECRET = "ops-test-secret-0123456789-abcdefghijklmnop";
export const KEY_BASE =
  "/v2/clients/client-1/domains/south_australia/service/service-1/assignments";

export function tempDir(prefix = "mac-ops-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function opsToken(scopes: Scope[] = ["admin"], sub = "ops-test"): Promise<string> {
  return mintToken({ sub, scopes, clients: "*" }, new TextEncoder().encode(SECRET));
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
