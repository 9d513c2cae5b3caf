// Scripts and benches run server modules outside Next.js. Those modules start with `import "server-only"`, whose
// package throws unless the bundler resolves it for the server; this hook resolves it to an empty module, as Next.js
// does for server code. Used as `tsx --import ./scripts/server-only-hook.mjs …` (see docs/decisions/021-…).
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(
      `export async function resolve(specifier, context, next) {
        if (specifier === "server-only") return { url: "data:text/javascript,", shortCircuit: true };
        return next(specifier, context);
      }`,
    ),
);
