// The /v2 routes accept a person's next-auth session cookie as well as bearer tokens. The role is read from
// the users table on each request, so a role change or a disabled account takes effect at once.
import { decode } from "next-auth/jwt";
import { getDatabase } from "@/db/client";
import { getAuthSecretText } from "./secret";
import { ROLE_SCOPES, type Actor, type Role } from "./scopes";

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
  if (!token || typeof token.uid !== "string") return null;
  const { query } = await getDatabase();
  const [user] = await query<{ email: string; role: Role; disabled: boolean }>(
    `select email, role, disabled from users where id = $1`,
    [token.uid],
  );
  if (!user || user.disabled) return null;
  return {
    subject: `user:${user.email}`,
    scopes: new Set(ROLE_SCOPES[user.role]),
    clients: "*",
    via: "session",
    role: user.role,
  };
}
