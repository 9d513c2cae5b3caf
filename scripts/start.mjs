// `npm start`: builds the app if needed, then starts the production server on PORT (default 3000). With no
// DATABASE_URL it runs on the embedded PGlite in DATA_DIR (default ./.data) and seeds the demo data on first start.
import { spawn } from "node:child_process";
import { buildIfNeeded, nextBin, root } from "./build-if-needed.mjs";

buildIfNeeded();

const port = process.env.PORT || "3000";
const child = spawn(process.execPath, [nextBin, "start", "-p", port, ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
