// next-auth (v4) for people: email + password against the users table, and single sign-on through the
// organisation's OpenID Connect provider when OIDC_* is set. JWT sessions carry the user id, a session id and the
// person's session version; every read of a session re-checks them against the database (lib/server/auth/sessions.ts).
// The sign-in limits and the sign-in audit for passwords live in the route handler (app/api/auth/[...nextauth]).
import "server-only";
import { randomUUID } from "node:crypto";
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDatabase } from "@/lib/server/database";
import { writeAudit } from "@/lib/server/audit/write-audit";
import { verifyCredentials } from "@/lib/server/users/users";
import { getOidcConfig, signInWithOidc, type OidcConfig } from "./oidc";
import { getAuthSecretText } from "./secret";
import { endSession, liveSessionUser, SESSION_MAX_AGE_SECONDS, sessionClaims } from "./sessions";

export const OIDC_PROVIDER_ID = "oidc";

/** Thrown by the jwt callback for a session that has been ended; next-auth then clears the cookie. */
class SessionEnded extends Error {}

type SignedInUser = { id: string; email: string; name: string; role: string; sv: number };

function oidcProvider(config: OidcConfig): OAuthConfig<Record<string, unknown>> {
  return {
    id: OIDC_PROVIDER_ID,
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: config.scope } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(profile) {
      return {
        id: String(profile.sub),
        email: typeof profile.email === "string" ? profile.email : null,
        name: typeof profile.name === "string" ? profile.name : null,
      };
    },
  };
}

let options: NextAuthOptions | undefined;

/** Built on first use: the secret may be generated in DATA_DIR, which must not happen at build time. */
export function getAuthOptions(): NextAuthOptions {
  if (options) return options;
  const oidc = getOidcConfig();
  options = {
    secret: getAuthSecretText(),
    // next-auth gives the JWT its own 30-day default unless told: the token lives as long as the session.
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    jwt: { maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials) {
          if (!credentials?.email || !credentials.password) return null;
          const user = await verifyCredentials(await getDatabase(), {
            email: credentials.email,
            password: credentials.password,
          });
          if (!user) return null;
          const signedIn: SignedInUser = {
            id: user.id,
            email: user.email,
            name: user.name ?? user.email,
            role: user.role,
            sv: user.session_version,
          };
          return signedIn;
        },
      }),
      ...(oidc ? [oidcProvider(oidc)] : []),
    ],
    logger: {
      error(code, metadata) {
        // An ended session is an expected outcome, not an error worth a stack trace.
        const error = (metadata as { error?: unknown } | undefined)?.error ?? metadata;
        if (error instanceof SessionEnded) return;
        console.error(`[next-auth][error][${code}]`, metadata);
      },
      warn(code) {
        console.warn(`[next-auth][warn][${code}]`);
      },
      debug() {},
    },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        let result;
        try {
          result = await signInWithOidc(await getDatabase(), {
            profile: (profile ?? {}) as Record<string, unknown>,
            config: oidc!,
          });
        } catch (error) {
          // Never a 500 or a database message in the address bar: the sign-in page says "try again".
          console.error("[next-auth][error][OIDC_SIGN_IN]", error);
          throw new Error("SsoFailed");
        }
        // next-auth turns a thrown error's message into /login?error=<message>: the page explains each code.
        if (!result.ok) {
          if (result.code === "AccessDenied") return false;
          throw new Error(result.code);
        }
        // next-auth hands this same object to the jwt callback.
        Object.assign(user, { ...result.user, name: result.user.name ?? result.user.email });
        return true;
      },
      async jwt({ token, user, account }) {
        if (user) {
          const u = user as unknown as SignedInUser;
          return {
            ...token,
            sub: u.id,
            uid: u.id,
            sid: randomUUID(),
            sv: u.sv,
            // Signed in at: the absolute limit counts from here, however often the session is renewed.
            sat: Math.floor(Date.now() / 1000),
            // Signed in with a password (not single sign-on): a password someone else chose must be changed.
            pw: account?.provider === "credentials",
            role: u.role,
            name: u.name,
            email: u.email,
          };
        }
        const claims = sessionClaims(token);
        if (!claims) throw new SessionEnded("session from before session versions");
        const live = await liveSessionUser(await getDatabase(), claims);
        if (!live) throw new SessionEnded("session ended");
        return {
          ...token,
          role: live.role,
          name: live.name ?? live.email,
          email: live.email,
          mcp: live.mustChangePassword && token.pw === true,
        };
      },
      async session({ session, token }) {
        return {
          ...session,
          user: {
            ...session.user,
            id: token.uid as string,
            role: token.role as string,
            mustChangePassword: token.mcp === true,
          },
        };
      },
    },
    events: {
      async signOut({ token }) {
        const claims = sessionClaims(token);
        if (!claims) return;
        const database = await getDatabase();
        const expiresAt = new Date(
          typeof token.exp === "number"
            ? token.exp * 1000
            : Date.now() + SESSION_MAX_AGE_SECONDS * 1000,
        );
        await endSession(database, { claims, expiresAt });
        await writeAudit(database.db, {
          actor: `user:${String(token.email ?? claims.uid)}`,
          action: "session.sign_out",
          entityType: "user",
          entityId: String(token.email ?? claims.uid),
        });
      },
    },
  };
  return options;
}
