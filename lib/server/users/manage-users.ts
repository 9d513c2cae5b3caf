// People management for admins (/v2/users): create with a generated one-time password, and role/disabled/name/
// password changes that never leave the console without an enabled admin.
import "server-only";
import type { z } from "zod";
import type { Database } from "@/db/types";
import { generatePassword } from "@/lib/server/auth/passwords";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import type { User, UserCreated, userCreateBody } from "@/lib/schemas/access";
import { assertAllClients, type Actor } from "@/lib/shared/scopes";
import { unprocessable } from "@/lib/shared/errors";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import {
  createUser,
  hashPatchPassword,
  lockManagingAdmins,
  lockUser,
  patchUser,
  type UserPatch,
} from "./users";

type AdminWrite<T> = { actor: Actor; meta: WriteMeta } & T;

export async function createUserForAdmin(
  database: Database,
  { actor, meta, body }: AdminWrite<{ body: z.infer<typeof userCreateBody> }>,
): Promise<UserCreated> {
  assertAllClients(actor, "Adding a person");
  const password = body.password ?? generatePassword();
  // The admin knows this password: the person chooses their own at first sign-in unless the admin says otherwise.
  const user = await createUser(database, {
    body: { ...body, password, must_change_password: body.must_change_password ?? true },
    subject: actor.subject,
    meta,
  });
  return body.password === undefined ? { ...user, password } : user;
}

export async function updateUserForAdmin(
  database: Database,
  { actor, meta, id, body: asked }: AdminWrite<{ id: string; body: UserPatch }>,
): Promise<User> {
  assertAllClients(actor, "Changing a person");
  // A password an admin sets is good for one sign-in unless the admin says otherwise.
  const body: UserPatch =
    asked.password === undefined
      ? asked
      : { ...asked, must_change_password: asked.must_change_password ?? true };
  const passwordHash = await hashPatchPassword(body);
  const user = await database.db.transaction(async (tx) => {
    // Lock the enabled admins: two admins demoting each other at once cannot both succeed.
    // Admins limited to some clients can't manage people, so they don't count.
    const admins = await lockManagingAdmins(tx);
    const before = await lockUser(tx, id);
    const wasAdmin = before.role === "admin" && !before.disabled && before.clients === null;
    const staysAdmin =
      (body.role ?? before.role) === "admin" && !(body.disabled ?? before.disabled);
    if (wasAdmin && !staysAdmin && admins.every((a) => a.id === id)) {
      const self = actor.subject === `user:${before.email}`;
      const change = body.disabled ? "disable" : "demote";
      throw unprocessable(
        self
          ? `You are the last enabled admin: you cannot ${change} yourself, or nobody could manage people and tokens. ` +
              `Make another person an admin first.`
          : `${before.email} is the last enabled admin: you cannot ${change} them, or nobody could manage people and tokens. ` +
              `Make another person an admin first.`,
      );
    }
    return patchUser(tx, before, { body, passwordHash, subject: actor.subject, meta });
  });
  // The disabled person's revoked tokens are refused by this process at once (other instances within 5 s).
  if (body.disabled) forgetRevocationCache();
  return user;
}
