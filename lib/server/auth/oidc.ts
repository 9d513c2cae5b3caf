// Single sign-on with the organisation's OpenID Connect provider: configuration from the environment, and the
// mapping from one claim (OIDC_ROLE_CLAIM, default "groups") to a console role and the clients it covers.
import "server-only";
import { z } from "zod";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Tx } from "@/db/types";
import { users } from "@/db/schema";
import { writeAudit } from "@/lib/server/audit/write-audit";
import { getEnv } from "@/lib/server/env";
import { lockManagingAdmins, ssoAudit } from "@/lib/server/users/users";
import { isUniqueViolation } from "@/lib/shared/errors";
import { ROLES, type Role } from "../../shared/scopes";

export type OidcConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  scope: string;
  roleClaim: string;
  groupMap: GroupMap | null;
};

type Grant = { role: Role; clients: string[] | "*" };
type GroupMap = Record<string, Grant>;

const grantSchema = z.union([
  z.enum(ROLES).transform((role): Grant => ({ role, clients: "*" })),
  z
    .strictObject({ role: z.enum(ROLES), clients: z.array(z.string().min(1)).min(1).optional() })
    .transform((g): Grant => ({ role: g.role, clients: g.clients ?? "*" })),
]);
const groupMapSchema = z.record(z.string().min(1), grantSchema);

/** Null when single sign-on isn't configured; throws (at start) when it is half-configured or the map is bad. */
export function getOidcConfig(): OidcConfig | null {
  const env = getEnv();
  const parts = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
  if (parts.every((p) => p === undefined)) return null;
  if (parts.some((p) => p === undefined))
    throw new Error(
      "Single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together: set all three, or none",
    );
  if (!process.env.NEXTAUTH_URL)
    throw new Error(
      "Single sign-on needs NEXTAUTH_URL: the console's public URL (e.g. https://models.example.com), from which " +
        "the identity provider's redirect URI <NEXTAUTH_URL>/api/auth/callback/oidc is made",
    );
  let groupMap: GroupMap | null = null;
  if (env.OIDC_GROUP_MAP) {
    let raw: unknown;
    try {
      raw = JSON.parse(env.OIDC_GROUP_MAP);
    } catch {
      throw new Error('OIDC_GROUP_MAP must be JSON, e.g. {"platform-admins":"admin"}');
    }
    const parsed = groupMapSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `OIDC_GROUP_MAP: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"} ${i.message}`).join("; ")}. ` +
          'Map claim values to a role or to { "role": ..., "clients": [...] }',
      );
    groupMap = parsed.data;
  }
  return {
    issuer: env.OIDC_ISSUER!.replace(/\/$/, ""),
    clientId: env.OIDC_CLIENT_ID!,
    clientSecret: env.OIDC_CLIENT_SECRET!,
    name: env.OIDC_NAME,
    scope: env.OIDC_SCOPE,
    roleClaim: env.OIDC_ROLE_CLAIM,
    groupMap,
  };
}

const CONVENTION = /^mac:(viewer|editor|admin)(?::(.+))?$/;

function grantFor(value: string, map: GroupMap | null): Grant | null {
  if (map) return map[value] ?? null;
  const match = CONVENTION.exec(value);
  if (!match) return null;
  return { role: match[1] as Role, clients: match[2] ? [match[2]] : "*" };
}

/**
 * The role and clients the claim grants: the highest role among the values that map to one; the clients are "*"
 * when any value grants that role for all clients, else the union of the clients granted with that role.
 * Null when no value maps (the person gets no access).
 */
export function mapClaim(
  claim: unknown,
  map: GroupMap | null,
): { role: Role; clients: string[] | null } | null {
  const values = Array.isArray(claim)
    ? claim
    : typeof claim === "string"
      ? claim.split(/[\s,]+/)
      : [];
  const grants = values
    .filter((v): v is string => typeof v === "string" && v.length > 0)
    .map((v) => grantFor(v, map))
    .filter((g): g is Grant => g !== null);
  if (grants.length === 0) return null;
  const rank = (r: Role) => ROLES.indexOf(r);
  const role = grants.reduce<Role>(
    (best, g) => (rank(g.role) > rank(best) ? g.role : best),
    grants[0]!.role,
  );
  const top = grants.filter((g) => g.role === role);
  if (top.some((g) => g.clients === "*")) return { role, clients: null };
  return { role, clients: [...new Set(top.flatMap((g) => g.clients as string[]))].sort() };
}

/**
 * Why a single sign-on was refused, as the code the sign-in page reads from `?error=` (next-auth's `AccessDenied`
 * for "no access": no role in the claim, or disabled) and the reason the audit log records.
 */
export const OIDC_REFUSALS = {
  AccessDenied: "no access",
  SsoNoIdentity: "the identity provider sent no issuer or subject",
  SsoNoEmail: "the identity provider sent no email claim",
  SsoEmailNotVerified: "the identity provider has not verified the email",
  SsoPasswordAccount:
    "a person with this email signs in with a password, and no admin has allowed linking single sign-on to them",
  SsoOtherIdentity:
    "a person with this email is bound to another identity at the identity provider",
  SsoEmailTaken: "the identity provider's new email belongs to another person",
} as const;
export type OidcRefusalCode = keyof typeof OIDC_REFUSALS;

type SignedInPerson = Pick<typeof users.$inferSelect, "id" | "email" | "name" | "role"> & {
  sv: number;
};
export type OidcSignIn =
  { ok: true; user: SignedInPerson } | { ok: false; code: OidcRefusalCode; reason: string };

type UserRecord = typeof users.$inferSelect;
type ClaimGrant = NonNullable<ReturnType<typeof mapClaim>>;
type Claims = {
  issuer: string;
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
};

/** Records a refused sign-in (sign_in.failure) through `target` and answers the refusal. */
type Refuse = (
  target: Pick<Tx, "insert">,
  code: OidcRefusalCode,
  reason?: string,
  entityId?: string,
) => Promise<OidcSignIn>;

const sameClients = (a: string[] | null, b: string[] | null) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Finds the person for an identity-provider sign-in and brings them up to date from its claims. People are bound
 * to the identity (ID token `iss` and `sub`), never found by email alone:
 * - a bound person is found by their identity, whatever email the provider now sends;
 * - otherwise the email must be verified (`email_verified: true`), and then: nobody has it → a new person, bound;
 *   the person with it has no password and no identity yet (created by single sign-on before identities were
 *   kept) or an admin allowed linking → bound to this identity; anyone else (a password account, or a person
 *   bound to another identity) → refused.
 * Role and clients come from the claim, except that the last enabled admin for all clients is never demoted.
 * Every change (binding, email, name, role, clients) is audited.
 */
export async function signInWithOidc(
  database: Database,
  { profile, config }: { profile: Record<string, unknown>; config: OidcConfig },
): Promise<OidcSignIn> {
  const email = typeof profile.email === "string" ? profile.email.trim().toLowerCase() : "";
  const subject = typeof profile.sub === "string" ? profile.sub : "";
  const issuer = typeof profile.iss === "string" ? profile.iss : "";
  const actor = `user:${email || subject || "unknown"}`;
  const refuse: Refuse = async (
    target,
    code,
    reason = OIDC_REFUSALS[code],
    entityId = email || `${issuer} ${subject}`,
  ) => {
    await writeAudit(target, {
      actor,
      action: "sign_in.failure",
      entityType: "user",
      entityId,
      after: {
        via: "oidc",
        reason,
        single_sign_on_identity: issuer && subject ? `${issuer} ${subject}` : null,
      },
    });
    return { ok: false, code, reason };
  };
  if (!subject || !issuer) return refuse(database.db, "SsoNoIdentity");
  const mapped = mapClaim(profile[config.roleClaim], config.groupMap);
  if (!mapped)
    return refuse(
      database.db,
      "AccessDenied",
      `no console role in the "${config.roleClaim}" claim`,
    );
  const claims: Claims = {
    issuer,
    subject,
    email,
    emailVerified: profile.email_verified === true,
    name: typeof profile.name === "string" && profile.name ? profile.name.slice(0, 200) : null,
  };
  // Two first sign-ins at once (two tabs) race to insert or bind: the loser sees the winner's row on a retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction((tx) =>
        signInTx(tx, { claims, grant: mapped, actor, refuse }),
      );
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error, "users_")) continue;
      throw error;
    }
  }
}

async function signInTx(
  tx: Tx,
  {
    claims,
    grant,
    actor,
    refuse,
  }: {
    claims: Claims;
    grant: ClaimGrant;
    actor: string;
    refuse: Refuse;
  },
): Promise<OidcSignIn> {
  const { issuer, subject, email } = claims;
  const identity = `${issuer} ${subject}`;
  // In the same order as the people routes (admins, then the person), so the two never wait on each other.
  const admins = await lockManagingAdmins(tx);
  const [bound] = await tx
    .select()
    .from(users)
    .where(and(eq(users.ssoIssuer, issuer), eq(users.ssoSubject, subject)))
    .for("update");

  let person: UserRecord | undefined = bound;
  let link: "admin allowance" | "single sign-on person" | null = null;
  if (!person) {
    if (!email) return refuse(tx, "SsoNoEmail");
    if (!claims.emailVerified)
      return refuse(tx, "SsoEmailNotVerified", `the identity provider has not verified ${email}`);
    const [byEmail] = await tx.select().from(users).where(eq(users.email, email)).for("update");
    // Bound to this very identity: another first sign-in of it committed between the two reads (two tabs at once).
    if (byEmail && byEmail.ssoIssuer === issuer && byEmail.ssoSubject === subject) person = byEmail;
    else if (byEmail) {
      if (byEmail.ssoLinkAllowed) link = "admin allowance";
      else if (byEmail.passwordHash === null && byEmail.ssoSubject === null)
        link = "single sign-on person";
      else if (byEmail.ssoSubject !== null) return refuse(tx, "SsoOtherIdentity");
      else return refuse(tx, "SsoPasswordAccount");
      person = byEmail;
    }
  }
  if (person?.disabled) return refuse(tx, "AccessDenied", "disabled in the console", person.email);

  let row: UserRecord;
  if (!person) {
    [row] = (await tx
      .insert(users)
      .values({
        email,
        name: claims.name,
        role: grant.role,
        clients: grant.clients,
        authSource: "oidc",
        passwordHash: null,
        ssoIssuer: issuer,
        ssoSubject: subject,
      })
      .returning()) as [UserRecord];
    await writeAudit(tx, {
      actor,
      action: "user.create",
      entityType: "user",
      entityId: email,
      after: {
        email,
        name: claims.name,
        role: grant.role,
        clients: grant.clients ?? "*",
        single_sign_on_identity: identity,
        via: "oidc first sign-in",
      },
    });
  } else {
    const before = person;
    // A bound person's email follows the provider's, once the provider has verified it and nobody else has it.
    let newEmail = before.email;
    if (email && email !== before.email && claims.emailVerified) {
      const [other] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (other)
        return refuse(
          tx,
          "SsoEmailTaken",
          `${OIDC_REFUSALS.SsoEmailTaken}: ${email}`,
          before.email,
        );
      newEmail = email;
    }
    // The last enabled admin for all clients keeps that, whatever the claim says: someone must manage people.
    const lastAdmin =
      before.role === "admin" &&
      before.clients === null &&
      admins.every((a) => a.id === before.id) &&
      admins.length > 0 &&
      !(grant.role === "admin" && grant.clients === null);
    const role = lastAdmin ? before.role : grant.role;
    const clients = lastAdmin ? before.clients : grant.clients;
    const name = claims.name ?? before.name;
    const accessChanged = role !== before.role || !sameClients(clients, before.clients);
    [row] = (await tx
      .update(users)
      .set({
        email: newEmail,
        name,
        role,
        clients,
        ssoIssuer: issuer,
        ssoSubject: subject,
        ssoLinkAllowed: false,
        updatedAt: new Date(),
        // The identity provider changed the person's access: their other sessions end.
        sessionVersion: accessChanged ? sql`${users.sessionVersion} + 1` : before.sessionVersion,
      })
      .where(eq(users.id, before.id))
      .returning()) as [UserRecord];
    // Who changed which person, for each entry below.
    const about = { actor, entityType: "user", entityId: row.email };
    if (link)
      await writeAudit(tx, {
        ...about,
        action: "user.sso_link",
        before: ssoAudit(before),
        after: { ...ssoAudit(row), via: link },
      });
    const changes: Record<string, [unknown, unknown]> = {};
    if (row.email !== before.email) changes.email = [before.email, row.email];
    if (row.name !== before.name) changes.name = [before.name, row.name];
    if (row.role !== before.role) changes.role = [before.role, row.role];
    if (!sameClients(row.clients, before.clients))
      changes.clients = [before.clients ?? "*", row.clients ?? "*"];
    if (Object.keys(changes).length > 0)
      await writeAudit(tx, {
        ...about,
        action: "user.update",
        before: Object.fromEntries(Object.entries(changes).map(([k, [b]]) => [k, b])),
        after: {
          ...Object.fromEntries(Object.entries(changes).map(([k, [, a]]) => [k, a])),
          via: "oidc claim",
        },
      });
    if (lastAdmin)
      await writeAudit(tx, {
        ...about,
        action: "user.update_refused",
        before: { role: before.role, clients: before.clients ?? "*" },
        after: {
          role: grant.role,
          clients: grant.clients ?? "*",
          via: "oidc claim",
          reason:
            "the last enabled admin for all clients is never demoted; make another person an admin first",
        },
      });
  }
  await writeAudit(tx, {
    actor: `user:${row.email}`,
    action: "sign_in.success",
    entityType: "user",
    entityId: row.email,
    after: { via: "oidc" },
  });
  return {
    ok: true,
    user: { id: row.id, email: row.email, name: row.name, role: row.role, sv: row.sessionVersion },
  };
}
