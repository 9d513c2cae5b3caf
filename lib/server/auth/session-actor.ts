// The /v2 routes accept a person's next-auth session cookie as well as bearer tokens. The person's role, clients,
// session version and the session's own sign-out are read from the database on each request (one indexed read),
// so a role change, a disabled account, a password change or signing out (everywhere) takes effect at once.
import "server-only";
import { decode } from "next-auth/jwt";
import { getDatabase } from "@/lib/server/database";
import { getAuthSecretText } from "./secret";
import { ROLE_SCOPES, type Actor } from "../../shared/scopes";
import { liveSessionUser, sessionClaims } from "./sessions";

const COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

function sessionCookie(header: string | null): string | null {
  if (!header) return null;
  const cookies = new Map<string, string>();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const name of COOKIE_NAMES) {
    if (cookies.has(name)) return cookies.get(name)!;
    // next-auth splits large cookies into name.0, name.1, …
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length > 0) return chunks.join("");
  }
  return null;
}

export async function sessionActor(request: Request): Promise<Actor | null> {
  const raw = sessionCookie(request.headers.get("cookie"));
  if (!raw) return null;
  let token;
  try {
    token = await decode({ token: raw, secret: getAuthSecretText() });
  } catch {
    return null;
  }
  const claims = sessionClaims(token);
  if (!claims) return null;
  const user = await liveSessionUser(await getDatabase(), claims);
  if (!user) return null;
  return {
    subject: `user:${user.email}`,
    scopes: new Set(ROLE_SCOPES[user.role]),
    clients: user.clients ? new Set(user.clients) : "*",
    via: "session",
    role: user.role,
    userId: user.id,
    // Only for a password sign-in: a single sign-on session doesn't use the password someone else chose.
    mustChangePassword: user.mustChangePassword && token?.pw === true,
  };
}
