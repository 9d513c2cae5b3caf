// next-auth (v4) for people: email + password against the users table, JWT sessions carrying the user id.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDatabase } from "@/db/client";
import { verifyCredentials } from "@/lib/users/users";
import { getAuthSecretText } from "./secret";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

let options: NextAuthOptions | undefined;

/** Built on first use: the secret may be generated in DATA_DIR, which must not happen at build time. */
export function getAuthOptions(): NextAuthOptions {
  options ??= {
    secret: getAuthSecretText(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials) {
          if (!credentials?.email || !credentials.password) return null;
          const { query } = await getDatabase();
          const user = await verifyCredentials(query, credentials.email, credentials.password);
          return user
            ? { id: user.id, email: user.email, name: user.name ?? user.email, role: user.role }
            : null;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = (user as { role?: string }).role;
        }
        return token;
      },
      async session({ session, token }) {
        return {
          ...session,
          user: { ...session.user, id: token.uid as string, role: token.role as string },
        };
      },
    },
  };
  return options;
}
