// What the server does once at start: validate the environment, the auth secret and open the database.
import "server-only";
import { getDatabase } from "@/lib/server/database";
import { getOidcConfig } from "@/lib/server/auth/oidc";
import { getAuthSecret } from "@/lib/server/auth/secret";
import { getEnv } from "@/lib/server/env";
import { ensureBootstrapAdmin } from "@/lib/server/users/users";
import { startWebhookDispatcher } from "@/lib/server/webhooks/dispatcher";
import { startOperatorSocket } from "@/lib/server/operator/socket";
import { startScheduler } from "@/lib/server/scheduler/scheduler";

export async function startServer(): Promise<void> {
  try {
    const env = getEnv();
    getAuthSecret();
    const oidc = getOidcConfig();
    if (oidc) console.log(`[model-console] single sign-on: ${oidc.name} (${oidc.issuer})`);
    const database = await getDatabase();
    const where =
      database.driver === "pg" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${env.DATA_DIR}`;
    console.log(`[model-console] database ready: ${where}`);
    // Sends webhook deliveries from this instance (every instance runs one; they share the work through the database).
    startWebhookDispatcher(database);
    // Applies scheduled work at its time (every instance runs one; due rows are claimed with row locks).
    startScheduler(database);
    // On the embedded default this process holds DATA_DIR: `npm run token` and `npm run user` reach it here.
    if (database.driver !== "pg") await startOperatorSocket(database, env.DATA_DIR);
    const admin = await ensureBootstrapAdmin(database);
    if (admin) {
      console.log(
        [
          "",
          "  ┌─ First start: an admin account was created. This password is shown once and works for one sign-in: you then choose your own,",
          "  │  or add people with `npm run user -- add --email … --role …` (in another terminal, same DATA_DIR).",
          `  │  email:    ${admin.email}`,
          `  │  password: ${admin.password}`,
          "  └─",
          "",
        ].join("\n"),
      );
    }
  } catch (error) {
    console.error(`[model-console] cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
}
