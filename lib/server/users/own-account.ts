// A person's own account: change their password (with the current one, under the same sign-in limits as the
// sign-in form) and sign out everywhere. Both end every session of the person at once.
import "server-only";
import type { z } from "zod";
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/types";
import { users } from "@/db/schema";
import { writeAudit } from "@/lib/server/audit/write-audit";
import { hashPassword, verifyPassword } from "@/lib/server/auth/passwords";
import type { passwordChangeBody } from "@/lib/schemas/access";
import type { Actor } from "@/lib/shared/scopes";
import { endAllSessions } from "@/lib/server/auth/sessions";
import {
  lockoutMessage,
  releaseAfterSuccess,
  reserveAttempt,
} from "@/lib/server/auth/sign-in-limits";
import { ApiError, forbidden, unprocessable } from "@/lib/shared/errors";

function personOf(actor: Actor, what: string): string {
  if (actor.via !== "session" || !actor.userId)
    throw forbidden(
      `${what} is for a person signed in to the console; a machine token has no password or sessions`,
    );
  return actor.userId;
}

export async function changeOwnPassword(
  database: Database,
  {
    actor,
    body,
    address,
  }: { actor: Actor; body: z.infer<typeof passwordChangeBody>; address: string },
): Promise<void> {
  const userId = personOf(actor, "Changing one's password");
  const { db } = database;
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw forbidden("Your account no longer exists");
  if (!user.passwordHash)
    throw unprocessable(
      "Your account signs in through your organisation's identity provider: change your password there",
    );
  // Guessing the current password from a stolen session counts towards the account's sign-in limit.
  const reservation = await reserveAttempt(database, { email: user.email, address });
  if (!reservation.ok) {
    throw new ApiError(
      429,
      lockoutMessage(reservation),
      { retry_after_seconds: reservation.retryAfterSeconds },
      { "Retry-After": String(reservation.retryAfterSeconds) },
    );
  }
  if (!(await verifyPassword(body.current_password, user.passwordHash))) {
    await writeAudit(db, {
      actor: actor.subject,
      action: "user.password_change_failed",
      entityType: "user",
      entityId: user.email,
      after: { reason: "wrong current password", address },
    });
    throw unprocessable("The current password is wrong: enter the password you signed in with", {
      issues: [{ path: "current_password", message: "wrong password" }],
    });
  }
  await releaseAfterSuccess(database, reservation);
  const hash = await hashPassword(body.new_password);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        passwordHash: hash,
        mustChangePassword: false,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
    await writeAudit(tx, {
      actor: actor.subject,
      action: "user.password_change",
      entityType: "user",
      entityId: user.email,
      after: { sessions: "all ended" },
    });
  });
}

export async function signOutEverywhere(
  database: Database,
  { actor }: { actor: Actor },
): Promise<void> {
  const userId = personOf(actor, "Signing out everywhere");
  await database.db.transaction(async (tx) => {
    await endAllSessions(tx, userId);
    await writeAudit(tx, {
      actor: actor.subject,
      action: "session.end_all",
      entityType: "user",
      entityId: actor.subject.replace(/^user:/, ""),
    });
  });
}
