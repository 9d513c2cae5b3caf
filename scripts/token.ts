// `npm run token -- --sub NAME --scope "assignments:read assignments:write" --client client-1 [--client …|--client '*']
//   [--name NAME] [--expires-in SECONDS | --no-expiry]`
// Records the token in the server's database (api_tokens, through the same code as POST /v2/tokens, so it is
// listed on the Access page and revocable) and prints the JWT alone on stdout, signed with the server's secret
// (AUTH_SECRET, or the one kept in DATA_DIR). It expires in 90 days unless --expires-in or --no-expiry says
// otherwise. With DATABASE_URL it writes to PostgreSQL directly, also while servers run; on the embedded
// default the server holds DATA_DIR, so the CLI refuses while it runs: stop it, or mint on the Access page.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { DataDirLockedError } from "@/db/client";
import { openDatabase } from "@/db/open";
import { getAuthSecret } from "@/lib/server/auth/secret";
import { isScope, SCOPES, type Actor } from "@/lib/shared/scopes";
import { getEnv } from "@/lib/server/env";
import { ApiError } from "@/lib/shared/errors";
import { apiTokenCreateBody } from "@/lib/schemas/access";
import { createApiToken } from "@/lib/server/tokens/api-tokens";

const USAGE =
  `usage: npm run token -- --sub NAME --scope "SCOPE ..." --client CLIENT [--client ...|--client '*'] ` +
  `[--name NAME] [--expires-in SECONDS | --no-expiry]\n` +
  `scopes: ${SCOPES.join(", ")}\n` +
  `tokens expire in 90 days unless --expires-in or --no-expiry says otherwise\n`;

function fail(message: string, usage = true): never {
  process.stderr.write(`token: ${message}\n`);
  if (usage) process.stderr.write(USAGE);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        sub: { type: "string" },
        name: { type: "string" },
        scope: { type: "string", multiple: true },
        client: { type: "string", multiple: true },
        "expires-in": { type: "string" },
        "no-expiry": { type: "boolean" },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values.sub) fail("--sub is required (who the token acts as)");
  const scopeWords = (values.scope ?? []).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  if (scopeWords.length === 0) fail("--scope is required");
  const unknown = scopeWords.filter((s) => !isScope(s));
  if (unknown.length > 0) fail(`unknown scope(s): ${unknown.join(", ")}`);
  const clients = (values.client ?? []).flatMap((c) => c.split(/[\s,]+/)).filter(Boolean);
  if (clients.length === 0) fail("--client is required (a client id, repeatable, or '*' for all)");
  if (values["no-expiry"] && values["expires-in"] !== undefined)
    fail("give either --expires-in or --no-expiry, not both");
  let expiresInSeconds: number | undefined;
  if (values["expires-in"] !== undefined) {
    expiresInSeconds = Number(values["expires-in"]);
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 60)
      fail("--expires-in must be a whole number of seconds, at least 60");
  }
  const parsed = apiTokenCreateBody.safeParse({
    name: values.name ?? values.sub,
    subject: values.sub,
    scopes: [...new Set(scopeWords)],
    clients: clients.includes("*") ? "*" : clients,
    ...(expiresInSeconds !== undefined ? { expires_in_seconds: expiresInSeconds } : {}),
    ...(values["no-expiry"] ? { never_expires: true } : {}),
  });
  if (!parsed.success)
    fail(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));

  const env = getEnv();
  getAuthSecret(); // fails early, with its own message, when the secret is missing
  let database;
  try {
    database = await openDatabase({
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      poolSize: 1,
      seedDemo: env.SEED_DEMO,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError)
      fail(
        `${error.message}\nThe token must be recorded in the database that server uses, which it holds while it runs: ` +
          `stop the server and run this again, or create the token on the console's Access page ` +
          `(or POST /v2/tokens with an admin credential).`,
        false,
      );
    throw error;
  }
  // The operator running the CLI has the database itself: it may make any token.
  const operator: Actor = {
    subject: `cli:${os.userInfo().username}`,
    scopes: new Set(["admin"]),
    clients: "*",
    via: "token",
  };
  try {
    const created = await createApiToken(database, {
      actor: operator,
      meta: { requestId: randomUUID() },
      body: parsed.data,
    });
    process.stdout.write(`${created.token}\n`);
    process.stderr.write(
      `token: recorded as ${created.id} (${created.expires_at ? `expires ${created.expires_at}` : "never expires"}); ` +
        `revoke it on the Access page or with POST /v2/tokens/${created.id}/revoke\n`,
    );
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) =>
  fail(error instanceof ApiError ? error.message : (error as Error).message, false),
);
