// Console users (people): email, hashed password, role.
import "server-only";
import { toIso } from "@/db/iso";
import type { Query } from "@/db/types";
import {
  generatePassword,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from "@/lib/server/auth/passwords";
import type { Role } from "@/lib/shared/scopes";
import { conflict, notFound } from "@/lib/shared/errors";
import { auditInsertSql } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";

export type UserRow = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  single_sign_on: boolean;
  clients: string[] | null;
  created_at: string;
  updated_at: string;
};
type UserDbRow = Omit<UserRow, "created_at" | "updated_at"> & {
  created_at: Date;
  updated_at: Date;
  password_hash?: string;
};

const COLUMNS =
  "id, email, name, role, disabled, auth_source = 'oidc' as single_sign_on, clients, created_at, updated_at";
const toUser = ({ password_hash: _ignored, ...r }: UserDbRow): UserRow => ({
  ...r,
  created_at: toIso(r.created_at),
  updated_at: toIso(r.updated_at),
});

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function listUsers(q: Query): Promise<UserRow[]> {
  return (await q<UserDbRow>(`select ${COLUMNS} from users order by email`)).map(toUser);
}

export async function getUser(q: Query, id: string): Promise<UserRow> {
  const [row] = await q<UserDbRow>(`select ${COLUMNS} from users where id = $1`, [id]);
  if (!row) throw notFound(`User "${id}" not found`);
  return toUser(row);
}

export async function createUser(
  q: Query,
  input: { email: string; name?: string | null; role: Role; password: string },
  actor = "system",
  meta: WriteMeta | null = null,
): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  try {
    const [row] = await q<UserDbRow>(
      `with ins as (insert into users (email, name, role, password_hash) values ($1, $2, $3, $4) returning ${COLUMNS}),
       audit as (${auditInsertSql("ins", {
         actor: "$5",
         action: "'user.create'",
         entityType: "'user'",
         entityId: "ins.email",
         requestId: "$6",
         reason: "$7",
         after: `jsonb_build_object('email', ins.email, 'name', ins.name, 'role', ins.role, 'disabled', ins.disabled)`,
       })})
       select * from ins`,
      [
        email,
        input.name ?? null,
        input.role,
        await hashPassword(input.password),
        actor,
        meta?.requestId ?? null,
        meta?.reason ?? null,
      ],
    );
    return toUser(row!);
  } catch (error) {
    if ((error as { code?: string }).code === "23505")
      throw conflict(`A user with email "${email}" already exists`);
    throw error;
  }
}

export async function updateUser(
  q: Query,
  id: string,
  patch: { role?: Role; disabled?: boolean; name?: string | null; password?: string },
  actor: string,
  meta: WriteMeta | null = null,
): Promise<UserRow> {
  const before = await getUser(q, id);
  const hash = patch.password ? await hashPassword(patch.password) : null;
  // Every field a person can change is recorded; a password change only as the fact that it changed (never
  // the password or its hash), so before and after always differ when something changed.
  const [row] = await q<UserDbRow>(
    `with upd as (update users set role = coalesce($2, role), disabled = coalesce($3, disabled),
       name = case when $4::boolean then $5 else name end, password_hash = coalesce($6, password_hash),
       session_version = session_version + case when ($2::text is not null and $2 <> role)
         or ($3::boolean is not null and $3 <> disabled) or $6::text is not null then 1 else 0 end,
       updated_at = now()
       where id = $1 returning ${COLUMNS}),
     audit as (${auditInsertSql("upd", {
       actor: "$7",
       action: "'user.update'",
       entityType: "'user'",
       entityId: "upd.email",
       requestId: "$9",
       reason: "$10",
       before: "$8::jsonb",
       after: `jsonb_build_object('name', upd.name, 'role', upd.role, 'disabled', upd.disabled)
         || case when $6::text is null then '{}'::jsonb else '{"password": "changed"}'::jsonb end`,
     })})
     select * from upd`,
    [
      id,
      patch.role ?? null,
      patch.disabled ?? null,
      patch.name !== undefined,
      patch.name ?? null,
      hash,
      actor,
      JSON.stringify({ name: before.name, role: before.role, disabled: before.disabled }),
      meta?.requestId ?? null,
      meta?.reason ?? null,
    ],
  );
  return toUser(row!);
}

/**
 * The user when the email and password match an enabled account; null otherwise (never says which part failed).
 * An unknown, disabled or single-sign-on-only account still runs one bcrypt comparison, so the answer takes the
 * same time whether or not the email exists.
 */
export async function verifyCredentials(
  q: Query,
  email: string,
  password: string,
): Promise<(UserRow & { session_version: number }) | null> {
  const [row] = await q<UserDbRow & { session_version: number }>(
    `select ${COLUMNS}, password_hash, session_version from users where email = $1`,
    [normalizeEmail(email)],
  );
  if (!row || row.disabled || !row.password_hash)
    return verifyAgainstDummy(password).then(() => null);
  return (await verifyPassword(password, row.password_hash))
    ? { ...toUser(row), session_version: row.session_version }
    : null;
}

/**
 * On a database with no users, creates an admin with a random password and returns it (printed once at start).
 * The insert is conditional in one statement, so instances starting together create at most one.
 */
export async function ensureBootstrapAdmin(
  q: Query,
  email = "admin@localhost",
): Promise<{ email: string; password: string } | null> {
  const [existing] = await q(`select 1 from users limit 1`);
  if (existing) return null;
  const password = generatePassword();
  const rows = await q(
    `with ins as (insert into users (email, name, role, password_hash)
       select $1, 'Administrator', 'admin', $2 where not exists (select 1 from users)
       on conflict do nothing returning id, email, role),
     audit as (insert into audit_log (actor, action, entity_type, entity_id, after)
       select 'system', 'user.bootstrap', 'user', ins.email,
         jsonb_build_object('email', ins.email, 'role', ins.role, 'reason', 'first start: no people yet') from ins)
     select id from ins`,
    [email, await hashPassword(password)],
  );
  return rows.length > 0 ? { email, password } : null;
}
