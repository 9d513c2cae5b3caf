// Sessions that can be cut short. A person's session JWT carries `sid` (this session) and `sv` (the person's
// session version when it was issued). Every request that reads a session checks both in one indexed read:
// bumping users.session_version ends all of a person's sessions at once (sign out everywhere, password, role or
// disabled changes), and signing out records that one session's id in ended_sessions until it would expire.
// No cache: "at once" means the very next request, on every app instance.
import "server-only";
import { and, eq, exists, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/types";
import { endedSessions, users } from "@/db/schema";
import type { Role } from "../../shared/scopes";

export type SessionClaims = { uid: string; sid: string; sv: number };

export type SessionUser = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  clients: string[] | null;
};

export function sessionClaims(
  token: Record<string, unknown> | null | undefined,
): SessionClaims | null {
  if (!token) return null;
  const { uid, sid, sv } = token;
  if (typeof uid !== "string" || typeof sid !== "string" || typeof sv !== "number") return null;
  return { uid, sid, sv };
}

/** The person behind a session when it is still valid: enabled, same session version, not signed out. */
export async function liveSessionUser(db: Db, claims: SessionClaims): Promise<SessionUser | null> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      clients: users.clients,
      disabled: users.disabled,
      sessionVersion: users.sessionVersion,
      ended: exists(
        db
          .select({ one: sql`1` })
          .from(endedSessions)
          .where(eq(endedSessions.sessionId, claims.sid)),
      ),
    })
    .from(users)
    .where(eq(users.id, claims.uid));
  if (!row || row.disabled || row.sessionVersion !== claims.sv || row.ended) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, clients: row.clients };
}

/** Signing out: this one session stops working everywhere, even if its cookie was copied. */
export async function endSession(db: Db, claims: SessionClaims, expiresAt: Date): Promise<void> {
  await db.delete(endedSessions).where(lt(endedSessions.expiresAt, new Date()));
  await db
    .insert(endedSessions)
    .values({ sessionId: claims.sid, userId: claims.uid, expiresAt })
    .onConflictDoNothing();
}

/** Sign out everywhere: every session of this person, on every device, ends now. */
export async function endAllSessions(db: Db, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(and(eq(users.id, userId)));
}
