// `npm run token -- --sub NAME --scope "assignments:read assignments:write" --client client-1 [--client …|--client '*']
//   [--name NAME] [--expires-in SECONDS | --no-expiry]`
// Records the token in the server's database (api_tokens, through the same code as POST /v2/tokens, so it is
// listed on the Access page and revocable) and prints the JWT alone on stdout, signed with the server's secret
// (AUTH_SECRET, or the one kept in DATA_DIR). It expires in 90 days unless --expires-in or --no-expiry says
// otherwise. With DATABASE_URL it writes to PostgreSQL directly, also while servers run; on the embedded
// default, while a server holds DATA_DIR, that server records the token for it (its socket in DATA_DIR).
import { parseArgs } from "node:util";
import { getAuthSecret } from "@/lib/server/auth/secret";
import { isScope, SCOPES } from "@/lib/shared/scopes";
import { getEnv } from "@/lib/server/env";
import { apiTokenCreateBody } from "@/lib/schemas/access";
import { osUserName, printResult, runCommand } from "./operator";

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

  getEnv();
  getAuthSecret(); // fails early, with its own message, when the secret is missing
  const result = await runCommand(
    { op: "token.create", os_user: osUserName(), body: parsed.data },
    { seedDemo: getEnv().SEED_DEMO },
  );
  printResult(result, "token");
}

main().catch((error: unknown) => fail((error as Error).message, false));
