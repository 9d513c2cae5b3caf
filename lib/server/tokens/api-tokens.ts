// Machine tokens made from the console (/v2/tokens): a row per token (its id is the JWT's jti), the JWT shown
// once at creation and never stored, and revocation that every route honours (401) from the next request on.
import "server-only";
import { toIso } from "@/db/iso";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, getTableColumns, isNull, sql, type SQL } from "drizzle-orm";
import type { Database, Tx } from "@/db/types";
import { apiTokens } from "@/db/schema";
import { auditBy, writeAudit, writeAuditMany } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import { hasScope, type Actor, type Scope } from "@/lib/shared/scopes";
import { mintToken, TokenError, verifyToken } from "@/lib/server/auth/tokens";
import { badRequest, conflict, forbidden, notFound } from "@/lib/shared/errors";
import { UUID_REGEX } from "@/lib/schemas/id";
import type {
  ApiToken,
  ApiTokenAdoptBody,
  ApiTokenCreateBody,
  ApiTokenCreated,
} from "@/lib/schemas/access";

type ApiTokenRecord = typeof apiTokens.$inferSelect;

/** A token's lifetime when its creator asks for none in particular. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3600;

/**
 * The row as PostgreSQL's to_jsonb gives it (snake_case keys, timestamps with microseconds), returned by the
 * write itself: it is what the audit entry's `after` has always recorded.
 */
const RETURNING = { ...getTableColumns(apiTokens), json: sql<unknown>`to_jsonb(${apiTokens})` };

// The one mapper to the wire shape. "All clients" is stored as ["*"], which is also how a JWT's clients claim may
// say it.
function toApiToken(r: ApiTokenRecord): ApiToken {
  return {
    id: r.id,
    name: r.name,
    subject: r.subject,
    scopes: r.scopes as Scope[],
    clients: r.clients.includes("*") ? "*" : r.clients,
    created_by: r.createdBy,
    owner_user_id: r.ownerUserId,
    parent_token_id: r.parentTokenId,
    created_at: toIso(r.createdAt),
    expires_at: r.expiresAt === null ? null : toIso(r.expiresAt),
    revoked_at: r.revokedAt === null ? null : toIso(r.revokedAt),
    last_used_at: r.lastUsedAt === null ? null : toIso(r.lastUsedAt),
    adopted_at: r.adoptedAt === null ? null : toIso(r.adoptedAt),
  };
}

/** A caller limited to some clients sees only the tokens limited to those clients (never an all-clients one). */
function visibleTo(actor: Actor): SQL | undefined {
  if (actor.clients === "*") return undefined;
  return sql`${apiTokens.clients} <@ ${JSON.stringify([...actor.clients])}::jsonb`;
}

/** A caller limited to some clients may only make or revoke tokens limited to those clients. */
function assertCovers(actor: Actor, clients: string[] | "*", what: string): void {
  if (actor.clients === "*") return;
  const own = actor.clients;
  const outside = clients === "*" ? ["*"] : clients.filter((c) => !own.has(c));
  if (outside.length > 0) {
    throw forbidden(
      `${what} a token for clients ${outside.map((c) => `"${c}"`).join(", ")} needs a caller that may touch them; ` +
        `this token may touch only ${[...own].map((c) => `"${c}"`).join(", ") || "no clients"}`,
    );
  }
}

export async function listApiTokens(
  database: Database,
  { actor }: { actor: Actor },
): Promise<{ items: ApiToken[] }> {
  const rows = await database.db
    .select()
    .from(apiTokens)
    .where(visibleTo(actor))
    .orderBy(desc(apiTokens.createdAt), asc(apiTokens.id));
  return { items: rows.map(toApiToken) };
}

/** One token, or 404 when it does not exist or the caller may not see it (a token of other clients). */
export async function getApiToken(
  database: Database,
  { actor, id }: { actor: Actor; id: string },
): Promise<ApiToken> {
  const [row] = await database.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.id, id), visibleTo(actor)));
  if (!row) throw notFound(`API token "${id}" not found`);
  return toApiToken(row);
}

/**
 * The new token's lifetime in seconds (undefined: no expiry). 90 days unless another lifetime or none is asked for;
 * made by a token, never beyond that token's own expiry (a default is shortened to it, an explicit ask beyond it is
 * refused) unless an all-clients admin says `outlive_creator: true`.
 */
function tokenLifetime(
  actor: Actor,
  body: ApiTokenCreateBody,
  nowSeconds: number,
): number | undefined {
  const asked = body.never_expires
    ? undefined
    : (body.expires_in_seconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS);
  if (body.outlive_creator) {
    if (!(actor.clients === "*" && hasScope(actor, "admin")))
      throw forbidden(
        "outlive_creator needs an admin who may touch every client: leave it out, and the token ends when yours does",
      );
    return asked;
  }
  const bound = actor.via === "token" ? actor.tokenExpiresAt : undefined;
  if (bound === undefined) return asked;
  const left = bound - nowSeconds;
  const until = new Date(bound * 1000).toISOString();
  if (
    body.never_expires ||
    (body.expires_in_seconds !== undefined && body.expires_in_seconds > left)
  )
    throw badRequest(
      `A token can't outlive the token that makes it: yours expires at ${until}, so ask for expires_in_seconds ` +
        `of at most ${left} (or leave it out), or have an admin of every client send outlive_creator: true`,
    );
  return Math.min(asked!, left);
}

/** A token never carries a scope its creator (or adopter) lacks. */
function assertScopesCovered(actor: Actor, scopes: readonly Scope[], who: string): void {
  const beyond = scopes.filter((scope) => !hasScope(actor, scope));
  if (beyond.length > 0)
    throw forbidden(
      `A token can't carry more than its ${who} has: you lack ${beyond.map((s) => `"${s}"`).join(", ")}`,
    );
}

export async function createApiToken(
  database: Database,
  { actor, meta, body }: { actor: Actor; meta: WriteMeta; body: ApiTokenCreateBody },
): Promise<ApiTokenCreated> {
  assertCovers(actor, body.clients, "Creating");
  assertScopesCovered(actor, body.scopes, "creator");
  const id = randomUUID();
  const subject = body.subject ?? `token:${body.name}`;
  const scopes = [...new Set(body.scopes)];
  const clients = body.clients === "*" ? "*" : [...new Set(body.clients)];
  const nowSeconds = Math.floor(Date.now() / 1000);
  const lifetime = tokenLifetime(actor, body, nowSeconds);
  const expiresAt = lifetime === undefined ? null : new Date((nowSeconds + lifetime) * 1000);
  // The person the new token answers to: the one signed in, or the person behind the token making it.
  let ownerUserId = actor.userId ?? null;
  let parentTokenId: string | null = null;
  if (actor.via === "token" && actor.tokenId) {
    const [parent] = await database.db
      .select({ ownerUserId: apiTokens.ownerUserId })
      .from(apiTokens)
      .where(eq(apiTokens.id, actor.tokenId));
    if (parent) {
      parentTokenId = actor.tokenId;
      ownerUserId = parent.ownerUserId;
    }
  }
  const row = await database.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(apiTokens)
      .values({
        id,
        name: body.name,
        subject,
        scopes,
        clients: clients === "*" ? ["*"] : clients,
        createdBy: actor.subject,
        expiresAt,
        ownerUserId,
        parentTokenId,
      })
      .returning(RETURNING);
    await writeAudit(tx, {
      ...auditBy(actor, meta, "api_token", inserted!.id),
      action: "token.create",
      after: inserted!.json,
    });
    return inserted!;
  });
  // Minted after the row exists, so every token in circulation can be listed and revoked.
  const token = await mintToken({
    sub: subject,
    scopes,
    clients,
    jti: id,
    // The row's own expiry, not "lifetime from now": a second tick between the two would let the JWT outlive the row.
    expiresAt: lifetime === undefined ? undefined : nowSeconds + lifetime,
  });
  return { ...toApiToken(row), token };
}

/**
 * Records a token signed with this server's secret that has no row: what `npm run token` minted before 0.2.0
 * (its JWT carries a random jti, no row was written). Its row (id = its jti) makes it listed, revocable and
 * expiring (90 days unless asked otherwise, never after the JWT's own exp); from then on it is accepted like any
 * other. A token that already has a row (made here, adopted before, or revoked) can't be adopted again.
 */
export async function adoptApiToken(
  database: Database,
  { actor, meta, body }: { actor: Actor; meta: WriteMeta; body: ApiTokenAdoptBody },
): Promise<ApiToken> {
  let claims;
  try {
    claims = await verifyToken(body.token);
  } catch (error) {
    if (error instanceof TokenError)
      throw badRequest(
        `This token can't be adopted: ${error.message.replace(/; mint a new one$/, "")}. ` +
          `Only a token this server signed (with its AUTH_SECRET) and that has not expired can be adopted; ` +
          `mint a new one instead`,
      );
    throw error;
  }
  if (claims.issuer !== "local")
    throw badRequest(
      "This token was issued by the external identity provider (AUTH_JWKS_URL): it is accepted without a record " +
        "here and revoked at the provider, so there is nothing to adopt",
    );
  if (!UUID_REGEX.test(claims.jti))
    throw badRequest(
      "This token has no jti (a UUID) to record it by, so it could never be revoked; mint a new one instead",
    );
  if (/^\s*user:/i.test(claims.sub))
    throw badRequest(
      `This token's subject "${claims.sub}" is a person's ("user:…"), which tokens can't take: ` +
        `mint a new token for the machine under another subject instead`,
    );
  if (claims.scopes.length === 0)
    throw badRequest(
      "This token carries no scope this server knows, so it could do nothing; mint a new one instead",
    );
  if (claims.clients !== "*" && claims.clients.length === 0)
    throw badRequest(
      "This token names no client, so it could touch nothing; mint a new one instead",
    );
  assertCovers(actor, claims.clients, "Adopting");
  assertScopesCovered(actor, claims.scopes, "adopter");

  const [existing] = await database.db
    .select({ revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.id, claims.jti));
  if (existing)
    throw conflict(
      `This token is already recorded as API token "${claims.jti}"` +
        (existing.revokedAt
          ? " and has been revoked: a revoked token can't be adopted again"
          : "") +
        "; nothing to adopt",
    );

  const nowMs = Date.now();
  const lifetime = body.never_expires
    ? undefined
    : (body.expires_in_seconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS);
  const own = claims.exp === undefined ? null : claims.exp * 1000;
  const asked = lifetime === undefined ? null : nowMs + lifetime * 1000;
  const expiresMs = own === null ? asked : asked === null ? own : Math.min(own, asked);
  const clients = claims.clients === "*" ? ["*"] : [...new Set(claims.clients)];

  const row = await database.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(apiTokens)
      .values({
        id: claims.jti,
        name: body.name ?? `adopted ${claims.sub}`,
        subject: claims.sub,
        scopes: [...new Set(claims.scopes)],
        clients,
        createdBy: actor.subject,
        expiresAt: expiresMs === null ? null : new Date(expiresMs),
        adoptedAt: sql`now()`,
      })
      // Adopted at the same moment by someone else: the same 409 as above.
      .onConflictDoNothing({ target: apiTokens.id })
      .returning(RETURNING);
    if (!inserted) return undefined;
    await writeAudit(tx, {
      ...auditBy(actor, meta, "api_token", inserted.id),
      action: "token.adopt",
      after: inserted.json,
    });
    return inserted;
  });
  if (!row)
    throw conflict(`This token is already recorded as API token "${claims.jti}"; nothing to adopt`);
  // This process may have cached the token as unknown a moment ago: it is accepted from the next request on.
  forgetRevocationCache();
  return toApiToken(row);
}

/** Sets revoked_at (once: revoking again answers the same row) and makes this process refuse the token at once. */
export async function revokeApiToken(
  database: Database,
  { actor, meta, id }: { actor: Actor; meta: WriteMeta; id: string },
): Promise<ApiToken> {
  const [current] = await database.db.select().from(apiTokens).where(eq(apiTokens.id, id));
  if (!current) throw notFound(`API token "${id}" not found`);
  assertCovers(actor, current.clients.includes("*") ? "*" : current.clients, "Revoking");
  if (current.revokedAt !== null) return toApiToken(current);
  const row = await database.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning(RETURNING);
    if (!updated) return undefined;
    await writeAudit(tx, {
      ...auditBy(actor, meta, "api_token", updated.id),
      action: "token.revoke",
      before: { revoked_at: null },
      after: updated.json,
    });
    return updated;
  });
  forgetRevocationCache();
  // Revoked concurrently by another request: answer the row as it now is.
  return row ? toApiToken(row) : getApiToken(database, { actor, id });
}

/**
 * A person is being disabled (in the caller's transaction, with their row locked): the tokens they answer for are
 * revoked, or handed over to another enabled person when `handTo` names one. Each token's entry is audited.
 * Returns how many tokens; the caller forgets the revocation cache after committing.
 */
export async function settleTokensOfDisabled(
  tx: Tx,
  {
    userId,
    email,
    handTo,
    subject,
    meta,
  }: {
    userId: string;
    email: string;
    handTo: { id: string; email: string } | null;
    subject: string;
    meta: Partial<WriteMeta> | null | undefined;
  },
): Promise<number> {
  const mine = and(eq(apiTokens.ownerUserId, userId), isNull(apiTokens.revokedAt));
  const rows = handTo
    ? await tx.update(apiTokens).set({ ownerUserId: handTo.id }).where(mine).returning(RETURNING)
    : await tx
        .update(apiTokens)
        .set({ revokedAt: sql`now()` })
        .where(mine)
        .returning(RETURNING);
  await writeAuditMany(
    tx,
    rows.map((row) => ({
      actor: subject,
      action: handTo ? "token.hand_over" : "token.revoke",
      entityType: "api_token",
      entityId: row.id,
      requestId: meta?.requestId ?? null,
      reason:
        meta?.reason ??
        (handTo
          ? `${email} was disabled; handed over to ${handTo.email}`
          : `${email} was disabled`),
      before: handTo ? { owner_user_id: userId } : { revoked_at: null },
      after: row.json,
    })),
  );
  return rows.length;
}
