// Turns a request's credentials into an Actor, or a 401 that says what is wrong with them.
import "server-only";
import { unauthorized } from "@/lib/shared/errors";
import { checkTokenRecord } from "./revocations";
import { sessionActor } from "./session-actor";
import type { Actor } from "../../shared/scopes";
import { actorFromClaims, TokenError, verifyToken, type TokenClaims } from "./tokens";

// Verified tokens, so a machine calling in a loop pays for the signature check once per token.
const MAX_CACHED = 2_000;
const verified = new Map<string, TokenClaims>();

/** The token's verified claims while they are valid, without waiting on anything; else undefined. */
function cachedClaims(token: string): TokenClaims | undefined {
  const hit = verified.get(token);
  if (hit && (hit.exp === undefined || hit.exp * 1000 > Date.now())) return hit;
  return undefined;
}

async function claimsFor(token: string): Promise<TokenClaims> {
  const hit = cachedClaims(token);
  if (hit) return hit;
  verified.delete(token);
  const claims = await verifyToken(token);
  if (verified.size >= MAX_CACHED) verified.delete(verified.keys().next().value as string);
  verified.set(token, claims);
  return claims;
}

export const LEGACY_TOKEN_MESSAGE =
  "Invalid token: this server has no record of the bearer token, so it could not be listed or revoked. " +
  "Tokens minted by `npm run token` before version 0.2.0 have none: an admin can adopt one to keep it working " +
  "while it is rotated (`npm run token -- adopt <JWT>`, or Adopt token on the console's Access page, or " +
  "POST /v2/tokens/adopt), which records it with an expiry; or mint a new token with `npm run token` or on the " +
  "Access page. See docs/upgrading.md.";

export async function authenticate(request: Request): Promise<Actor> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match)
      throw unauthorized("Malformed Authorization header: send Authorization: Bearer <JWT>");
    let claims: TokenClaims;
    try {
      claims = cachedClaims(match[1]!) ?? (await claimsFor(match[1]!));
    } catch (error) {
      if (error instanceof TokenError) throw unauthorized(`Invalid token: ${error.message}`);
      throw error;
    }
    // Tokens this server signs must have their api_tokens row: that is what makes every one listed and revocable.
    // Tokens of an external identity provider (AUTH_JWKS_URL) are revoked there.
    if (claims.issuer === "local") {
      const state = await checkTokenRecord(claims.jti, claims.sub);
      if (state === "revoked")
        throw unauthorized("Invalid token: the bearer token has been revoked");
      if (state === "expired")
        throw unauthorized("Invalid token: the bearer token has expired; mint a new one");
      // Signed with this server's secret but never recorded: what `npm run token` minted before 0.2.0. Refused (it
      // could be neither listed nor revoked), with the way to keep it while it is rotated.
      if (state === "unknown") throw unauthorized(LEGACY_TOKEN_MESSAGE);
    }
    return actorFromClaims(claims);
  }
  const actor = await sessionActor(request);
  if (actor) return actor;
  throw unauthorized(
    "Authentication required: send Authorization: Bearer <JWT> (mint one with `npm run token`) or sign in",
  );
}
