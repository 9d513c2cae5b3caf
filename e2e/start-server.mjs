// Playwright's webServer: the production build on a fresh embedded database with the demo data and one
// person per role, so every run starts from the same known state.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildIfNeeded, nextBin, root } from "../scripts/build-if-needed.mjs";
import { E2E_AUTH_SECRET, E2E_DATA_DIR, E2E_USERS } from "./settings.mjs";

buildIfNeeded();
fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });

const env = { ...process.env, NODE_ENV: "production", DATA_DIR: E2E_DATA_DIR, AUTH_SECRET: E2E_AUTH_SECRET, SEED_DEMO: "true" };
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
for (const user of E2E_USERS) {
  const result = spawnSync(
    process.execPath,
    [tsx, "scripts/user.ts", "add", "--email", user.email, "--role", user.role, "--password", user.password, "--name", user.name],
    { cwd: root, env, stdio: "inherit" },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const port = process.env.E2E_PORT ?? "3300";
const child = spawn(process.execPath, [nextBin, "start", "-p", port, "-H", "127.0.0.1"], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
