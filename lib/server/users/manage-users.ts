// People management for admins (/v2/users): create with a generated one-time password, and role/disable/name/
// password changes that never leave the console without an enabled admin.
import "server-only";
import type { Database } from "@/db/types";
import { generatePassword } from "@/lib/server/auth/passwords";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import { assertAllClients, type Actor, type Role } from "@/lib/shared/scopes";
import { unprocessable } from "@/lib/shared/errors";
import { createUser, getUser, updateUser, type UserRow } from "./users";

// People see every client, so only a caller that may touch every client lists or manages them.
export { assertAllClients };

export async function createUserForAdmin(
  database: Database,
  actor: Actor,
  meta: WriteMeta,
  body: { email: string; name?: string; role: Role; password?: string },
): Promise<UserRow & { password?: string }> {
  assertAllClients(actor, "Adding a person");
  const password = body.password ?? generatePassword();
  const user = await createUser(
    database.query,
    { email: body.email, name: body.name ?? null, role: body.role, password },
    actor.subject,
    meta,
  );
  return body.password === undefined ? { ...user, password } : user;
}

export async function updateUserForAdmin(
  database: Database,
  actor: Actor,
  meta: WriteMeta,
  userId: string,
  patch: { role?: Role; disabled?: boolean; name?: string | null; password?: string },
): Promise<UserRow> {
  assertAllClients(actor, "Changing a person");
  return database.transaction(async (q) => {
    // Lock the enabled admins: two admins demoting each other at once cannot both succeed.
    const admins = await q<{ id: string }>(
      `select id from users where role = 'admin' and not disabled order by id for update`,
    );
    const before = await getUser(q, userId);
    const wasAdmin = before.role === "admin" && !before.disabled;
    const staysAdmin =
      (patch.role ?? before.role) === "admin" && !(patch.disabled ?? before.disabled);
    if (wasAdmin && !staysAdmin && admins.every((a) => a.id === userId)) {
      const self = actor.subject === `user:${before.email}`;
      const change = patch.disabled ? "disable" : "demote";
      throw unprocessable(
        self
          ? `You are the last enabled admin: you cannot ${change} yourself, or nobody could manage people and tokens. ` +
              `Make another person an admin first.`
          : `${before.email} is the last enabled admin: you cannot ${change} them, or nobody could manage people and tokens. ` +
              `Make another person an admin first.`,
      );
    }
    return updateUser(q, userId, patch, actor.subject, meta);
  });
}
