// `npm start`: builds the app if needed, then starts the production server (scripts/server.mjs) on PORT (default
// 3000) in this same process, so SIGTERM reaches it directly and drains in-flight requests. With no DATABASE_URL it
// runs on the embedded PGlite in DATA_DIR (default ./.data) and seeds the demo data on first start.
import { buildIfNeeded } from "./build-if-needed.mjs";
import { readSettings, runServer } from "./server.mjs";

let settings;
try {
  settings = readSettings(process.env, process.argv.slice(2));
} catch (error) {
  console.error(`[model-console] cannot start: ${error.message}`);
  process.exit(1);
}
buildIfNeeded();
runServer(settings).catch((error) => {
  console.error(`[model-console] cannot start: ${error.message}`);
  process.exit(1);
});
