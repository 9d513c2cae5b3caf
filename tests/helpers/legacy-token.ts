// A machine token signed exactly as `npm run token` signed it before 0.2.0 (a0c8625: scripts/token.ts calling
// lib/auth/tokens.ts mintToken): HS256 with the server's secret, `scope` as one space-separated string, `clients`
// as given ("*" or a list), `sub`, `iat`, a random UUID `jti`, and `exp` only with --expires-in. No api_tokens row
// was ever written for it. (It also set iss/aud when AUTH_ISSUER/AUTH_AUDIENCE were set; the tests set neither.)
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";

export async function legacyToken(options: {
  sub: string;
  scopes: string[];
  clients: string[] | "*";
  expiresInSeconds?: number;
  /** The server's secret; AUTH_SECRET of the test process by default. */
  secret?: string;
}): Promise<{ jwt: string; jti: string }> {
  const jti = randomUUID();
  const jwt = new SignJWT({ scope: options.scopes.join(" "), clients: options.clients })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.sub)
    .setIssuedAt()
    .setJti(jti);
  if (options.expiresInSeconds !== undefined)
    jwt.setExpirationTime(Math.floor(Date.now() / 1000) + options.expiresInSeconds);
  const secret = options.secret ?? process.env.AUTH_SECRET;
  if (!secret) throw new Error("legacyToken needs AUTH_SECRET (tests/helpers/api.ts sets it)");
  return { jwt: await jwt.sign(new TextEncoder().encode(secret)), jti };
}
