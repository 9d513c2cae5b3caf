// Sessions that can be cut short. A person's session JWT carries `sid` (this session) and `sv` (the person's
// session version when it was issued). Every request that reads a session checks both in one indexed read:
// bumping users.session_version ends all of a person's sessions at once (sign out everywhere, password, role or
// disabled changes), and signing out records that one session's id in ended_sessions until it would expire.
// No cache: "at once" means the very next request, on every app instance.
import "server-only";
import { eq, exists, lt, sql } from "drizzle-orm";
import type { Database, Db, Tx } from "@/db/types";
import { perDb } from "@/db/statement";
import { endedSessions, users } from "@/db/schema";

type SessionClaims = { uid: string; sid: string; sv: number };

/**
 * A console session lasts at most this long from the moment the person signed in (`sat`, seconds), however often
 * it is renewed; the JWT itself expires after the same time without a request.
 */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

type SessionUser = Pick<
  typeof users.$inferSelect,
  "id" | "email" | "name" | "role" | "clients" | "mustChangePassword"
>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function sessionClaims(
  token: Record<string, unknown> | null | undefined,
): SessionClaims | null {
  if (!token) return null;
  const { uid, sid, sv, sat } = token;
  if (typeof uid !== "string" || typeof sid !== "string" || typeof sv !== "number") return null;
  // Signed in too long ago (or before the sign-in time was recorded): the session is over.
  if (typeof sat !== "number" || nowSeconds() - sat > SESSION_MAX_AGE_SECONDS) return null;
  return { uid, sid, sv };
}

// The session check runs on every request a person makes: one statement, prepared once per database (on
// PostgreSQL, once per connection under this name).
const liveSessionStatement = perDb((db: Db) =>
  db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      clients: users.clients,
      disabled: users.disabled,
      mustChangePassword: users.mustChangePassword,
      sessionVersion: users.sessionVersion,
      ended: exists(
        db
          .select({ one: sql`1` })
          .from(endedSessions)
          .where(eq(endedSessions.sessionId, sql.placeholder("sid"))),
      ),
    })
    .from(users)
    .where(eq(users.id, sql.placeholder("uid")))
    .prepare("auth_live_session"),
);

/** The person behind a session when it is still valid: enabled, same session version, not signed out. */
export async function liveSessionUser(
  database: Database,
  claims: SessionClaims,
): Promise<SessionUser | null> {
  const statement = liveSessionStatement(database.db);
  const [row] = await statement.execute({ uid: claims.uid, sid: claims.sid });
  if (!row || row.disabled || row.sessionVersion !== claims.sv || row.ended) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    clients: row.clients,
    mustChangePassword: row.mustChangePassword,
  };
}

/** Signing out: this one session stops working everywhere, even if its cookie was copied. */
export async function endSession(
  database: Database,
  { claims, expiresAt }: { claims: SessionClaims; expiresAt: Date },
): Promise<void> {
  const { db } = database;
  await db.delete(endedSessions).where(lt(endedSessions.expiresAt, new Date()));
  await db
    .insert(endedSessions)
    .values({ sessionId: claims.sid, userId: claims.uid, expiresAt })
    .onConflictDoNothing();
}

/** Sign out everywhere: every session of this person, on every device, ends now (in the caller's transaction). */
export async function endAllSessions(tx: Tx, userId: string): Promise<void> {
  await tx
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, userId));
}
