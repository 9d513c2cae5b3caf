// Console users (people): email, hashed password, role. The store: reads and audited writes without permission
// checks (the /v2/users routes check in manage-users.ts; the CLI and the first start need none).
import "server-only";
import type { z } from "zod";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { toIso } from "@/db/iso";
import { users } from "@/db/schema";
import type { Database, Tx } from "@/db/types";
import {
  generatePassword,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from "@/lib/server/auth/passwords";
import { writeAudit } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import type { User, userCreateBody, userPatchBody } from "@/lib/schemas/access";
import { conflict, isUniqueViolation, notFound, unprocessable } from "@/lib/shared/errors";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import { settleTokensOfDisabled } from "@/lib/server/tokens/api-tokens";

type UserRecord = typeof users.$inferSelect;
/** A new person's fields: the API's create body, with the password already chosen (given or generated). */
type NewUser = z.infer<typeof userCreateBody> & { password: string };
export type UserPatch = z.infer<typeof userPatchBody>;

/** Who writes (the audit entry's actor: "user:…", "cli", "system") and the request's id and reason. */
type WriteBy = { subject?: string; meta?: WriteMeta | null };

/** The one mapper from a users row to the wire shape: never the password hash or the session version. */
function toUser(r: UserRecord): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    disabled: r.disabled,
    single_sign_on: r.authSource === "oidc",
    must_change_password: r.mustChangePassword,
    clients: r.clients,
    single_sign_on_identity:
      r.ssoIssuer !== null && r.ssoSubject !== null
        ? { issuer: r.ssoIssuer, subject: r.ssoSubject }
        : null,
    single_sign_on_link_allowed: r.ssoLinkAllowed,
    created_at: toIso(r.createdAt),
    updated_at: toIso(r.updatedAt),
  };
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

const notFoundError = (id: string) => notFound(`User "${id}" not found`);

export async function listUsers(database: Database): Promise<User[]> {
  return (await database.db.select().from(users).orderBy(asc(users.email))).map(toUser);
}

export async function getUser(database: Database, id: string): Promise<User> {
  const [row] = await database.db.select().from(users).where(eq(users.id, id));
  if (!row) throw notFoundError(id);
  return toUser(row);
}

export async function findUserByEmail(database: Database, email: string): Promise<User | null> {
  const [row] = await database.db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  return row ? toUser(row) : null;
}

export async function createUser(
  database: Database,
  { body, subject = "system", meta }: WriteBy & { body: NewUser },
): Promise<User> {
  const email = normalizeEmail(body.email);
  const passwordHash = await hashPassword(body.password);
  try {
    return await database.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({
          email,
          name: body.name ?? null,
          role: body.role,
          passwordHash,
          mustChangePassword: body.must_change_password ?? false,
        })
        .returning();
      await writeAudit(tx, {
        actor: subject,
        action: "user.create",
        entityType: "user",
        entityId: row!.email,
        requestId: meta?.requestId,
        reason: meta?.reason,
        after: {
          email: row!.email,
          name: row!.name,
          role: row!.role,
          disabled: row!.disabled,
          must_change_password: row!.mustChangePassword,
        },
      });
      return toUser(row!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A user with email "${email}" already exists`);
    throw error;
  }
}

/**
 * Locks the enabled admins for all clients (the people who can manage people and tokens) until the transaction
 * ends, in id order: every change that could remove the last of them (the people routes, a single sign-on's
 * claim) takes this lock first, so two such changes at once can't both pass the "someone else is left" test.
 */
export async function lockManagingAdmins(tx: Tx): Promise<{ id: string }[]> {
  return tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false), isNull(users.clients)))
    .orderBy(asc(users.id))
    .for("update");
}

/** The person's row, locked until the transaction ends (so a check on it holds for the write that follows). */
export async function lockUser(tx: Tx, id: string): Promise<UserRecord> {
  const [row] = await tx.select().from(users).where(eq(users.id, id)).for("update");
  if (!row) throw notFoundError(id);
  return row;
}

/**
 * Applies a patch to a locked row. Every field a person can change is recorded; a password change only as the
 * fact that it changed (never the password or its hash), so before and after always differ when something
 * changed. A new role, disabled state or password, or removing a bound single sign-on identity, ends all of the
 * person's sessions.
 */
export async function patchUser(
  tx: Tx,
  before: UserRecord,
  {
    body,
    passwordHash,
    subject = "system",
    meta,
  }: WriteBy & { body: UserPatch; passwordHash: string | null },
): Promise<User> {
  const link = body.single_sign_on_link;
  const unbinds = link === "remove" && before.ssoSubject !== null;
  const endsSessions =
    (body.role !== undefined && body.role !== before.role) ||
    (body.disabled !== undefined && body.disabled !== before.disabled) ||
    passwordHash !== null ||
    unbinds;
  // Disabling a person settles the tokens they answer for: revoked, or handed over to another enabled person.
  let tokens: Record<string, unknown> = {};
  if (body.disabled === true && !before.disabled) {
    let handTo: UserRecord | null = null;
    if (body.hand_tokens_to !== undefined) {
      if (body.hand_tokens_to === before.id)
        throw unprocessable(
          `hand_tokens_to names ${before.email}, the person being disabled: name someone else, or leave it out to revoke their tokens`,
        );
      const [target] = await tx
        .select()
        .from(users)
        .where(eq(users.id, body.hand_tokens_to))
        .for("update");
      if (!target || target.disabled)
        throw unprocessable(
          `hand_tokens_to: no enabled person has the id "${body.hand_tokens_to}"; pick one from GET /v2/users`,
        );
      handTo = target;
    }
    const n = await settleTokensOfDisabled(tx, {
      userId: before.id,
      email: before.email,
      handTo: handTo && { id: handTo.id, email: handTo.email },
      subject,
      meta,
    });
    if (n > 0)
      tokens = handTo ? { tokens_handed_over_to: handTo.email, tokens: n } : { tokens_revoked: n };
  }
  const [row] = await tx
    .update(users)
    .set({
      role: body.role,
      disabled: body.disabled,
      name: body.name,
      passwordHash: passwordHash ?? undefined,
      // Whether the new password must be changed at the next sign-in (the API and the CLI say; see manage-users.ts).
      mustChangePassword: passwordHash === null ? undefined : (body.must_change_password ?? false),
      ssoLinkAllowed: link === undefined ? undefined : link === "allow",
      ssoIssuer: link === "remove" ? null : undefined,
      ssoSubject: link === "remove" ? null : undefined,
      sessionVersion: endsSessions ? sql`${users.sessionVersion} + 1` : undefined,
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, before.id))
    .returning();
  await writeAudit(tx, {
    actor: subject,
    action: "user.update",
    entityType: "user",
    entityId: row!.email,
    requestId: meta?.requestId,
    reason: meta?.reason,
    before: {
      name: before.name,
      role: before.role,
      disabled: before.disabled,
      ...(link === undefined ? {} : ssoAudit(before)),
    },
    after: {
      name: row!.name,
      role: row!.role,
      disabled: row!.disabled,
      ...(passwordHash === null
        ? {}
        : { password: "changed", must_change_password: row!.mustChangePassword }),
      ...tokens,
      ...(link === undefined ? {} : ssoAudit(row!)),
    },
  });
  return toUser(row!);
}

/** A person's single sign-on binding as the audit log records it. */
export function ssoAudit(r: UserRecord) {
  return {
    single_sign_on_identity: r.ssoSubject === null ? null : `${r.ssoIssuer} ${r.ssoSubject}`,
    single_sign_on_link_allowed: r.ssoLinkAllowed,
  };
}

/** Hashes a patch's new password (an empty one changes nothing), before any transaction is opened. */
export const hashPatchPassword = (body: UserPatch) =>
  body.password ? hashPassword(body.password) : Promise.resolve(null);

export async function updateUser(
  database: Database,
  { id, body, subject, meta }: WriteBy & { id: string; body: UserPatch },
): Promise<User> {
  const passwordHash = await hashPatchPassword(body);
  const user = await database.db.transaction(async (tx) =>
    patchUser(tx, await lockUser(tx, id), { body, passwordHash, subject, meta }),
  );
  if (body.disabled) forgetRevocationCache();
  return user;
}

/**
 * The user when the email and password match an enabled account; null otherwise (never says which part failed).
 * An unknown, disabled or single-sign-on-only account still runs one bcrypt comparison, so the answer takes the
 * same time whether or not the email exists.
 */
export async function verifyCredentials(
  database: Database,
  { email, password }: { email: string; password: string },
): Promise<(User & { session_version: number }) | null> {
  const [row] = await database.db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  if (!row || row.disabled || !row.passwordHash)
    return verifyAgainstDummy(password).then(() => null);
  return (await verifyPassword(password, row.passwordHash))
    ? { ...toUser(row), session_version: row.sessionVersion }
    : null;
}

/**
 * On a database with no users, creates an admin with a random password and returns it (printed once at start).
 * Instances starting together take one advisory lock and look again under it, so they create at most one.
 */
export async function ensureBootstrapAdmin(
  database: Database,
  { email = "admin@localhost" }: { email?: string } = {},
): Promise<{ email: string; password: string } | null> {
  const [anyone] = await database.db.select({ id: users.id }).from(users).limit(1);
  if (anyone) return null;
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const created = await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('user.bootstrap', 0))`);
    const [someone] = await tx.select({ id: users.id }).from(users).limit(1);
    if (someone) return false;
    const [row] = await tx
      .insert(users)
      .values({
        email,
        name: "Administrator",
        role: "admin",
        passwordHash,
        // Printed in the server's log: good for one sign-in, then the admin chooses their own.
        mustChangePassword: true,
      })
      .onConflictDoNothing()
      .returning({ email: users.email, role: users.role });
    if (!row) return false;
    await writeAudit(tx, {
      actor: "system",
      action: "user.bootstrap",
      entityType: "user",
      entityId: row.email,
      after: { email: row.email, role: row.role, reason: "first start: no people yet" },
    });
    return true;
  });
  return created ? { email, password } : null;
}
