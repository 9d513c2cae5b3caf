import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "db/**/*.test.ts",
      "tests/api/**/*.test.ts",
      "tests/docs/**/*.test.ts",
      "components/**/*.test.{ts,tsx}",
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
