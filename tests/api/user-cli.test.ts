// `npm run user -- add` takes the same emails as the people API and the sign-in form: intranet addresses such as
// ops@intranet are fine, text without one @ is refused before the database is touched.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "user-cli-"));

function user(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, SEED_DEMO: "false" };
  delete env.DATABASE_URL;
  return spawnSync(
    process.execPath,
    [TSX, "--import", "./scripts/server-only-hook.mjs", "scripts/user.ts", ...args],
    {
      cwd: ROOT,
      env,
      encoding: "utf8",
    },
  );
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("npm run user -- add", () => {
  it("adds ops@intranet and refuses an address without one @", () => {
    const added = user("add", "--email", "ops@intranet", "--role", "viewer");
    expect(added.stderr).toBe("");
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(/^added ops@intranet \(viewer\)\npassword: \S+\n$/);

    for (const email of ["ops", "o ps@intranet", "a@b@c"]) {
      const refused = user("add", "--email", email, "--role", "viewer");
      expect(refused.status, email).toBe(2);
      expect(refused.stderr).toMatch(/--email must look like name@example\.com or admin@localhost/);
    }
  }, 240_000);
});
