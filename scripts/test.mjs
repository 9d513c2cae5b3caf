// `npm test`: unit and API tests on PGlite; on PostgreSQL too when one is reachable (TEST_DATABASE_URL, or the
// local server at 127.0.0.1:5432), plus the multi-process concurrency test against production builds.
import { spawnSync } from "node:child_process";
import net from "node:net";
import { buildIfNeeded, root } from "./build-if-needed.mjs";

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

const env = { ...process.env };
if (!env.TEST_DATABASE_URL && (await reachable("127.0.0.1", 5432))) {
  env.TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
}
if (env.TEST_DATABASE_URL) {
  console.log(`[test] PostgreSQL tests on ${env.TEST_DATABASE_URL.replace(/\/\/[^@]*@/, "//***@")}`);
  buildIfNeeded();
} else {
  console.log("[test] no PostgreSQL reachable: running on PGlite only (set TEST_DATABASE_URL to include PostgreSQL)");
}

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
const vitest = run(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...process.argv.slice(2)]);
process.exit(vitest.status ?? 1);
