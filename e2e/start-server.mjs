// Playwright's webServer: the production build on a fresh embedded database with the demo data and one
// person per role, so every run starts from the same known state.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildIfNeeded, root } from "../scripts/build-if-needed.mjs";
import { startOidcProvider } from "./oidc-provider.mjs";
import {
  E2E_AUTH_SECRET,
  E2E_DATA_DIR,
  E2E_OIDC_CLAIMS_FILE,
  E2E_OIDC_CLIENT_ID,
  E2E_OIDC_CLIENT_SECRET,
  E2E_OIDC_NAME,
  E2E_USERS,
} from "./settings.mjs";

// One e2e server at a time on this machine: concurrent runs (several developers' shells) would rebuild the app
// under each other's running server. The lock is held for the server's lifetime.
const lockPath = path.join(root, ".e2e-server.lock");
const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
};
for (let waited = 0; ; waited += 2) {
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
    break;
  } catch {
    const holder = Number(fs.readFileSync(lockPath, "utf8"));
    if (!holder || !isAlive(holder)) {
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    if (waited % 30 === 0)
      console.log(`[e2e] waiting for another e2e server (pid ${holder}) to finish...`);
    if (waited > 1200) {
      console.error("[e2e] gave up waiting for the other e2e server after 20 minutes");
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
const releaseLock = () => {
  try {
    if (fs.readFileSync(lockPath, "utf8") === String(process.pid))
      fs.rmSync(lockPath, { force: true });
  } catch {
    // already gone
  }
};
process.on("exit", releaseLock);

buildIfNeeded();
fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });
fs.rmSync(E2E_OIDC_CLAIMS_FILE, { force: true });

const env = {
  ...process.env,
  NODE_ENV: "production",
  DATA_DIR: E2E_DATA_DIR,
  AUTH_SECRET: E2E_AUTH_SECRET,
  SEED_DEMO: "true",
  // e2e/webhooks.spec.ts runs its receiver on this machine's loopback address.
  WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
  // One log line per request would drown Playwright's output: warnings and errors only, unless asked.
  LOG_LEVEL: process.env.LOG_LEVEL || "warn",
};
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
for (const user of E2E_USERS) {
  const result = spawnSync(
    process.execPath,
    [
      tsx,
      "--import",
      "./scripts/server-only-hook.mjs",
      "scripts/user.ts",
      "add",
      "--email",
      user.email,
      "--role",
      user.role,
      "--password-stdin",
      "--name",
      user.name,
    ],
    { cwd: root, env, input: `${user.password}\n`, stdio: ["pipe", "inherit", "inherit"] },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const port = process.env.E2E_PORT ?? "3300";
const appOrigin = `http://127.0.0.1:${port}`;
// The organisation's identity provider for the single sign-on specs: a real OIDC provider in this process.
const oidc = await startOidcProvider(appOrigin);
// The production entry, the same as `npm start`'s.
const child = spawn(process.execPath, ["scripts/server.mjs", "-p", port, "-H", "127.0.0.1"], {
  cwd: root,
  env: {
    ...env,
    NEXTAUTH_URL: appOrigin,
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: E2E_OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET: E2E_OIDC_CLIENT_SECRET,
    OIDC_NAME: E2E_OIDC_NAME,
    OIDC_SCOPE: "openid email profile groups",
  },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    child.kill(signal);
    releaseLock();
  });
}
child.on("exit", (code) => {
  releaseLock();
  process.exit(code ?? 0);
});
