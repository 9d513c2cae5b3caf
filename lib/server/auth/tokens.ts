// Machine tokens: HS256 JWTs signed with AUTH_SECRET, or tokens of an external identity provider via JWKS.
import "server-only";
import { randomUUID } from "node:crypto";
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
} from "jose";
import { getEnv } from "@/lib/server/env";
import { getAuthSecret } from "./secret";
import { isScope, type Actor, type Scope } from "../../shared/scopes";

export type TokenClaims = {
  sub: string;
  scopes: Scope[];
  clients: string[] | "*";
  jti: string;
  exp?: number;
  /** "local": signed here with AUTH_SECRET (needs its api_tokens row); "jwks": an external identity provider's. */
  issuer: "local" | "jwks";
};

type MintOptions = {
  sub: string;
  scopes: Scope[];
  clients: string[] | "*";
  expiresInSeconds?: number;
  /** An absolute expiry (seconds since the epoch); wins over expiresInSeconds, so a stored row and its JWT agree. */
  expiresAt?: number;
  jti?: string;
};

export async function mintToken(
  options: MintOptions,
  secret: Uint8Array = getAuthSecret(),
): Promise<string> {
  const jwt = new SignJWT({ scope: options.scopes.join(" "), clients: options.clients })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.sub)
    .setIssuedAt()
    .setJti(options.jti ?? randomUUID());
  if (options.expiresAt !== undefined) jwt.setExpirationTime(options.expiresAt);
  else if (options.expiresInSeconds !== undefined)
    jwt.setExpirationTime(Math.floor(Date.now() / 1000) + options.expiresInSeconds);
  const env = getEnv();
  if (env.AUTH_ISSUER) jwt.setIssuer(env.AUTH_ISSUER);
  if (env.AUTH_AUDIENCE) jwt.setAudience(env.AUTH_AUDIENCE);
  return jwt.sign(secret);
}

export class TokenError extends Error {}

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

function claimsFromPayload(payload: JWTPayload, issuer: TokenClaims["issuer"]): TokenClaims {
  if (typeof payload.sub !== "string" || payload.sub === "")
    throw new TokenError("the token has no subject (sub)");
  const rawScopes: unknown = payload.scope ?? payload.scp ?? payload.scopes;
  const scopeList =
    typeof rawScopes === "string"
      ? rawScopes.split(/\s+/)
      : Array.isArray(rawScopes)
        ? rawScopes
        : [];
  const scopes = scopeList.filter((s): s is Scope => typeof s === "string" && isScope(s));
  const rawClients: unknown = payload.clients;
  let clients: string[] | "*";
  if (rawClients === "*" || (Array.isArray(rawClients) && rawClients.includes("*"))) clients = "*";
  else if (Array.isArray(rawClients))
    clients = rawClients.filter((c): c is string => typeof c === "string");
  else clients = [];
  return {
    sub: payload.sub,
    scopes,
    clients,
    jti: typeof payload.jti === "string" ? payload.jti : "",
    exp: payload.exp,
    issuer,
  };
}

/** Verifies a bearer token's signature, expiry, issuer and audience; throws TokenError with the reason. */
export async function verifyToken(token: string): Promise<TokenClaims> {
  const env = getEnv();
  const options = { issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE, clockTolerance: 5 };
  try {
    const header = JSON.parse(
      Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8"),
    ) as { alg?: string };
    if (header.alg !== "HS256" && env.AUTH_JWKS_URL) {
      jwks ??= createRemoteJWKSet(new URL(env.AUTH_JWKS_URL));
      return claimsFromPayload((await jwtVerify(token, jwks, options)).payload, "jwks");
    }
    return claimsFromPayload(
      (await jwtVerify(token, getAuthSecret(), { ...options, algorithms: ["HS256"] })).payload,
      "local",
    );
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof joseErrors.JWTExpired)
      throw new TokenError("the bearer token has expired; mint a new one");
    if (error instanceof joseErrors.JWSSignatureVerificationFailed)
      throw new TokenError("the bearer token's signature is not valid for this server");
    if (error instanceof joseErrors.JWTClaimValidationFailed)
      throw new TokenError(
        `the bearer token's "${error.claim}" claim is not accepted: ${error.reason}`,
      );
    throw new TokenError("the bearer token is malformed; send Authorization: Bearer <JWT>");
  }
}

export function actorFromClaims(claims: TokenClaims): Actor {
  return {
    subject: claims.sub,
    scopes: new Set(claims.scopes),
    clients: claims.clients === "*" ? "*" : new Set(claims.clients),
    via: "token",
    tokenId: claims.jti || undefined,
    tokenExpiresAt: claims.exp,
  };
}
