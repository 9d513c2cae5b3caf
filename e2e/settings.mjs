// Shared by the e2e server script and the specs: where the e2e database lives and who can sign in.
import path from "node:path";

export const E2E_DATA_DIR = path.resolve(
  import.meta.dirname,
  "..",
  `.data-e2e-${process.env.E2E_PORT ?? "3300"}`,
);
export const E2E_AUTH_SECRET = "e2e-secret-not-for-production-0123456789abcdef";
export const E2E_USERS = [
  { role: "admin", email: "admin@e2e.test", password: "admin-password-1", name: "Ada Admin" },
  { role: "editor", email: "editor@e2e.test", password: "editor-password-1", name: "Eddie Editor" },
  { role: "viewer", email: "viewer@e2e.test", password: "viewer-password-1", name: "Vera Viewer" },
];

// Single sign-on: the local OpenID Connect provider started with the e2e server (e2e/oidc-provider.mjs).
export const E2E_OIDC_PORT = Number(process.env.E2E_PORT ?? "3300") + 1000;
export const E2E_OIDC_CLIENT_ID = "model-console-e2e";
export const E2E_OIDC_CLIENT_SECRET = "e2e-oidc-client-secret-not-for-production";
export const E2E_OIDC_NAME = "Example IdP";
/**
 * Login names on the provider's page, and the claims they get: `sub` is the login name and `email`
 * `<login>@idp.e2e.test` (verified) unless the entry says otherwise.
 */
export const E2E_OIDC_ACCOUNTS = {
  "sso-editor": { name: "Sam Sso", groups: ["staff", "mac:editor:client-1"] },
  "sso-admin": { name: "Ana Sso", groups: ["mac:admin"] },
  "sso-nobody": { name: "Nobody Sso", groups: ["staff"] },
  // Someone at the provider with the email of the console's local password admin (E2E_USERS).
  "sso-local-admin": { name: "Not Ada", email: "admin@e2e.test", groups: ["mac:viewer"] },
  // A password account the spec adds with this login's email, linked once an admin allows it.
  "sso-linda": { name: "Linda Link", groups: ["mac:viewer"] },
  "sso-unverified": { name: "Una Unverified", email_verified: false, groups: ["mac:editor"] },
  // One person whose email and name change at the provider (through E2E_OIDC_CLAIMS_FILE) between sign-ins.
  "sso-mover": { name: "Mo Mover", groups: ["mac:viewer"] },
};

/**
 * Claims a spec changes at the provider between two sign-ins of one login (the provider reads it at each sign-in):
 * `{ "<login>": { "email": "...", "name": "..." } }`. Removed when the e2e server starts.
 */
export const E2E_OIDC_CLAIMS_FILE = `${E2E_DATA_DIR}.oidc-claims.json`;
