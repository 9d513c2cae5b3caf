// `npm run token -- --sub NAME --scope "assignments:read assignments:write" --client client-1 [--client …|--client '*'] [--expires-in SECONDS]`
// Prints a JWT alone on stdout, signed with the secret the server uses (AUTH_SECRET, or the one kept in DATA_DIR).
import { parseArgs } from "node:util";
import { getAuthSecret } from "@/lib/auth/secret";
import { isScope, SCOPES, type Scope } from "@/lib/auth/scopes";
import { mintToken } from "@/lib/auth/tokens";

function fail(message: string): never {
  process.stderr.write(`token: ${message}\n`);
  process.stderr.write(
    `usage: npm run token -- --sub NAME --scope "SCOPE ..." --client CLIENT [--client ...|--client '*'] [--expires-in SECONDS]\n` +
      `scopes: ${SCOPES.join(", ")}\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        sub: { type: "string" },
        scope: { type: "string", multiple: true },
        client: { type: "string", multiple: true },
        "expires-in": { type: "string" },
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
  let expiresInSeconds: number | undefined;
  if (values["expires-in"] !== undefined) {
    expiresInSeconds = Number(values["expires-in"]);
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0)
      fail("--expires-in must be a positive whole number of seconds");
  }
  const token = await mintToken(
    {
      sub: values.sub,
      scopes: scopeWords as Scope[],
      clients: clients.includes("*") ? "*" : clients,
      expiresInSeconds,
    },
    getAuthSecret(),
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => fail((error as Error).message));
