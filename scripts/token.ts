// `npm run token -- --sub NAME --scope "assignments:read assignments:write" --client client-1 [--client …|--client '*']
//   [--name NAME] [--expires-in SECONDS | --no-expiry]`
// Records the token in the server's database (api_tokens, through the same code as POST /v2/tokens, so it is
// listed on the Access page and revocable) and prints the JWT alone on stdout, signed with the server's secret
// (AUTH_SECRET, or the one kept in DATA_DIR). It expires in 90 days unless --expires-in or --no-expiry says
// otherwise. With DATABASE_URL it writes to PostgreSQL directly, also while servers run; on the embedded
// default, while a server holds DATA_DIR, that server records the token for it (its socket in DATA_DIR).
//
// `npm run token -- adopt <JWT|-> [--name NAME] [--expires-in SECONDS | --no-expiry]`
// Records a token minted by this CLI before 0.2.0 (signed with the server's secret, never recorded, so refused with
// 401 since): through the same code as POST /v2/tokens/adopt, it gets a row (listed, revocable, last use shown)
// and an expiry (90 days unless asked otherwise, never after the JWT's own). `-` or no JWT reads it from stdin,
// which keeps it out of the shell's history.
import { parseArgs } from "node:util";
import { getAuthSecret } from "@/lib/server/auth/secret";
import { isScope, SCOPES } from "@/lib/shared/scopes";
import { getEnv } from "@/lib/server/env";
import { apiTokenAdoptBody, apiTokenCreateBody } from "@/lib/schemas/access";
import type { OperatorRequest } from "@/lib/server/operator/commands";
import { osUserName, printResult, runCommand } from "./operator";

const USAGE =
  `usage: npm run token -- --sub NAME --scope "SCOPE ..." --client CLIENT [--client ...|--client '*'] ` +
  `[--name NAME] [--expires-in SECONDS | --no-expiry]\n` +
  `scopes: ${SCOPES.join(", ")}\n` +
  `tokens expire in 90 days unless --expires-in or --no-expiry says otherwise\n` +
  `       npm run token -- adopt <JWT|-> [--name NAME] [--expires-in SECONDS | --no-expiry]\n` +
  `records a token minted before 0.2.0 (refused with 401 until then); - or no JWT reads it from stdin\n`;

function fail(message: string, usage = true): never {
  process.stderr.write(`token: ${message}\n`);
  if (usage) process.stderr.write(USAGE);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      options: {
        sub: { type: "string" },
        name: { type: "string" },
        scope: { type: "string", multiple: true },
        client: { type: "string", multiple: true },
        "expires-in": { type: "string" },
        "no-expiry": { type: "boolean" },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values["no-expiry"] && values["expires-in"] !== undefined)
    fail("give either --expires-in or --no-expiry, not both");
  let expiresInSeconds: number | undefined;
  if (values["expires-in"] !== undefined) {
    expiresInSeconds = Number(values["expires-in"]);
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 60)
      fail("--expires-in must be a whole number of seconds, at least 60");
  }
  const expiry = {
    ...(expiresInSeconds !== undefined ? { expires_in_seconds: expiresInSeconds } : {}),
    ...(values["no-expiry"] ? { never_expires: true as const } : {}),
  };
  if (positionals[0] === "adopt") {
    if (positionals.length > 2) fail("adopt takes one JWT (or - to read it from stdin)");
    if (values.sub || values.scope || values.client)
      fail(
        "adopt keeps the token's own subject, scopes and clients: drop --sub, --scope and --client",
      );
    const jwt =
      positionals[1] === undefined || positionals[1] === "-" ? await readStdin() : positionals[1];
    const parsed = apiTokenAdoptBody.safeParse({
      token: jwt,
      ...(values.name ? { name: values.name } : {}),
      ...expiry,
    });
    if (!parsed.success)
      fail(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    await run({ op: "token.adopt", os_user: osUserName(), body: parsed.data });
    return;
  }
  if (positionals.length > 0)
    fail(`unknown command "${positionals[0]}" (mint with --sub/--scope/--client, or adopt <JWT>)`);
  if (!values.sub) fail("--sub is required (who the token acts as)");
  const scopeWords = (values.scope ?? []).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  if (scopeWords.length === 0) fail("--scope is required");
  const unknown = scopeWords.filter((s) => !isScope(s));
  if (unknown.length > 0) fail(`unknown scope(s): ${unknown.join(", ")}`);
  const clients = (values.client ?? []).flatMap((c) => c.split(/[\s,]+/)).filter(Boolean);
  if (clients.length === 0) fail("--client is required (a client id, repeatable, or '*' for all)");
  const parsed = apiTokenCreateBody.safeParse({
    name: values.name ?? values.sub,
    subject: values.sub,
    scopes: [...new Set(scopeWords)],
    clients: clients.includes("*") ? "*" : clients,
    ...expiry,
  });
  if (!parsed.success)
    fail(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));

  await run({ op: "token.create", os_user: osUserName(), body: parsed.data });
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("token: paste the JWT to adopt, then Ctrl-D\n");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim();
}

/** Runs the command on the server's database (directly, or through the running embedded server) and prints it. */
async function run(request: OperatorRequest): Promise<void> {
  getAuthSecret(); // fails early, with its own message, when the secret is missing
  printResult(await runCommand(request, { seedDemo: getEnv().SEED_DEMO }), "token");
}

main().catch((error: unknown) => fail((error as Error).message, false));
