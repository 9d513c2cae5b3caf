// A real OpenID Connect provider for the e2e run (the `oidc-provider` package, not a mock), on localhost, with
// one test client for the console and its development login and consent pages: any login name is accepted and
// becomes the account, whose claims come from E2E_OIDC_ACCOUNTS (unknown names get no groups; an entry may give
// another email or an unverified one, and a spec may change a login's claims in E2E_OIDC_CLAIMS_FILE).
import fs from "node:fs";
import Provider from "oidc-provider";
import {
  E2E_OIDC_ACCOUNTS,
  E2E_OIDC_CLAIMS_FILE,
  E2E_OIDC_CLIENT_ID,
  E2E_OIDC_CLIENT_SECRET,
  E2E_OIDC_PORT,
} from "./settings.mjs";

/** Starts the provider; resolves to its issuer URL and a stop function. */
export async function startOidcProvider(appOrigin) {
  const issuer = `http://127.0.0.1:${E2E_OIDC_PORT}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: E2E_OIDC_CLIENT_ID,
        client_secret: E2E_OIDC_CLIENT_SECRET,
        redirect_uris: [`${appOrigin}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
      groups: ["groups"],
    },
    // Put the scope's claims in the ID token (next-auth reads the ID token), as most providers do for groups.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ["e2e-oidc-cookie-key-not-secret"] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const account = E2E_OIDC_ACCOUNTS[id] ?? { name: id, groups: [] };
      return {
        accountId: id,
        async claims() {
          // oidc-provider makes `sub` the login name (the account id) whatever is returned here.
          const changed = fs.existsSync(E2E_OIDC_CLAIMS_FILE)
            ? (JSON.parse(fs.readFileSync(E2E_OIDC_CLAIMS_FILE, "utf8"))[id] ?? {})
            : {};
          return {
            sub: id,
            email: account.email ?? `${id}@idp.e2e.test`,
            email_verified: account.email_verified ?? true,
            name: account.name,
            groups: account.groups,
            ...changed,
          };
        },
      };
    },
  });
  // The development pages warn on every start; the e2e output doesn't need it.
  provider.on("server_error", (_ctx, error) => console.error("[oidc-provider]", error));
  const server = await new Promise((resolve) => {
    const s = provider.listen(E2E_OIDC_PORT, "127.0.0.1", () => resolve(s));
  });
  return { issuer, stop: () => new Promise((resolve) => server.close(resolve)) };
}
