// A production start on PostgreSQL without AUTH_SECRET must stop with a message saying what to set.
import { describe, expect, it } from "vitest";
import { startServer } from "../helpers/server";
import { createScratchPostgres } from "../helpers/test-database";

describe("production configuration", () => {
  it("refuses to start on DATABASE_URL in production without AUTH_SECRET", async () => {
    const scratch = await createScratchPostgres();
    try {
      const env: Record<string, string> = { DATABASE_URL: scratch.url, AUTH_SECRET: "" };
      await expect(startServer({ port: 3293, env })).rejects.toThrow(
        /AUTH_SECRET is not set.*openssl rand/s,
      );
    } finally {
      await scratch.drop();
    }
  }, 120_000);
});
