// Single sign-on with the organisation's OpenID Connect provider: configuration from the environment, and the
// mapping from one claim (OIDC_ROLE_CLAIM, default "groups") to a console role and the clients it covers.
import "server-only";
import { z } from "zod";
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/types";
import { users } from "@/db/schema";
import { writeAudit } from "@/lib/server/audit/write-audit";
import { getEnv } from "@/lib/server/env";
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

type OidcSignIn =
  | {
      ok: true;
      user: Pick<typeof users.$inferSelect, "id" | "email" | "name" | "role"> & { sv: number };
    }
  | { ok: false; reason: string };

/**
 * Finds or creates the person for a verified OIDC identity and brings their role and clients up to date from
 * the claim. A disabled person, an unverified email or a claim that grants nothing is refused.
 */
export async function signInWithOidc(
  database: Database,
  { profile, config }: { profile: Record<string, unknown>; config: OidcConfig },
): Promise<OidcSignIn> {
  const email = typeof profile.email === "string" ? profile.email.trim().toLowerCase() : "";
  if (!email) return { ok: false, reason: "the identity provider sent no email claim" };
  if (profile.email_verified === false)
    return { ok: false, reason: `the identity provider has not verified ${email}` };
  const grant = mapClaim(profile[config.roleClaim], config.groupMap);
  const actor = `user:${email}`;
  if (!grant) {
    await writeAudit(database.db, {
      actor,
      action: "sign_in.failure",
      entityType: "user",
      entityId: email,
      after: { via: "oidc", reason: `no console role in the "${config.roleClaim}" claim` },
    });
    return { ok: false, reason: `no console role in the "${config.roleClaim}" claim` };
  }
  const name = typeof profile.name === "string" && profile.name ? profile.name.slice(0, 200) : null;
  return database.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.email, email)).for("update");
    if (existing?.disabled) {
      await writeAudit(tx, {
        actor,
        action: "sign_in.failure",
        entityType: "user",
        entityId: email,
        after: { via: "oidc", reason: "disabled in the console" },
      });
      return { ok: false as const, reason: "disabled in the console" };
    }
    let row;
    if (!existing) {
      [row] = await tx
        .insert(users)
        .values({
          email,
          name,
          role: grant.role,
          clients: grant.clients,
          authSource: "oidc",
          passwordHash: null,
        })
        .returning();
      await writeAudit(tx, {
        actor,
        action: "user.create",
        entityType: "user",
        entityId: email,
        after: {
          email,
          role: grant.role,
          clients: grant.clients ?? "*",
          via: "oidc first sign-in",
        },
      });
    } else {
      const changed =
        existing.role !== grant.role ||
        JSON.stringify(existing.clients) !== JSON.stringify(grant.clients);
      [row] = await tx
        .update(users)
        .set({
          role: grant.role,
          clients: grant.clients,
          name: name ?? existing.name,
          updatedAt: new Date(),
          // The identity provider changed the person's access: their other sessions end.
          sessionVersion: changed ? sql`${users.sessionVersion} + 1` : existing.sessionVersion,
        })
        .where(eq(users.id, existing.id))
        .returning();
      if (changed)
        await writeAudit(tx, {
          actor,
          action: "user.update",
          entityType: "user",
          entityId: email,
          before: { role: existing.role, clients: existing.clients ?? "*" },
          after: { role: grant.role, clients: grant.clients ?? "*", via: "oidc claim" },
        });
    }
    await writeAudit(tx, {
      actor,
      action: "sign_in.success",
      entityType: "user",
      entityId: email,
      after: { via: "oidc" },
    });
    return {
      ok: true as const,
      user: {
        id: row!.id,
        email: row!.email,
        name: row!.name,
        role: row!.role,
        sv: row!.sessionVersion,
      },
    };
  });
}
