// What the server does once at start: validate the environment, the auth secret and open the database.
import { getDatabase } from "@/db/client";
import { getAuthSecret } from "@/lib/auth/secret";
import { getEnv } from "@/lib/env";

export async function startServer(): Promise<void> {
  try {
    const env = getEnv();
    getAuthSecret();
    const database = await getDatabase();
    const where = database.driver === "pg" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${env.DATA_DIR}`;
    console.log(`[model-console] database ready: ${where}`);
  } catch (error) {
    console.error(`[model-console] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
