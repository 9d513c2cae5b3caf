import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Server modules start with `import "server-only"`; Next.js resolves it to an empty module on the server, and
      // so do the tests (scripts use scripts/server-only-hook.mjs).
      "server-only": path.resolve(import.meta.dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    include: [
      "lib/**/*.test.ts",
      "db/**/*.test.ts",
      "tests/api/**/*.test.ts",
      "tests/docs/**/*.test.ts",
      "components/**/*.test.{ts,tsx}",
      "tests/structure/**/*.test.ts",
      // Databases made by earlier versions, opened by today's code (tests/upgrade/fixtures).
      "tests/upgrade/**/*.test.ts",
      // Production servers (scripts/server.mjs): metrics, logs, shutdown, crash safety, backup; the build must exist.
      "tests/ops/**/*.test.ts",
      // Two production servers on one PostgreSQL: only where a PostgreSQL is reachable (scripts/test.mjs finds it).
      ...(process.env.TEST_DATABASE_URL ? ["tests/concurrency/**/*.test.ts"] : []),
    ],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    allowOnly: false,
  },
});
