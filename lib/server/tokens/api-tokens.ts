// Machine tokens made from the console (/v2/tokens): a row per token (its id is the JWT's jti), the JWT shown
// once at creation and never stored, and revocation that every route honours (401) from the next request on.
import "server-only";
import { toIso } from "@/db/iso";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Database, Db } from "@/db/types";
import { apiTokens } from "@/db/schema";
import { auditInsertSql } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import { forgetRevocationCache } from "@/lib/server/auth/revocations";
import { hasScope, type Actor, type Scope } from "@/lib/shared/scopes";
import { mintToken } from "@/lib/server/auth/tokens";
import { forbidden, notFound } from "@/lib/shared/errors";
import type { apiTokenRow, ApiTokenCreateBody } from "@/lib/schemas/access";

export type ApiTokenRow = z.infer<typeof apiTokenRow>;

type ApiTokenDbRow = {
  id: string;
  name: string;
  subject: string;
  scopes: Scope[];
  clients: string[];
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
};

const COLUMNS =
  "id, name, subject, scopes, clients, created_by, created_at, expires_at, revoked_at, last_used_at";

/** A token's lifetime when its creator asks for none in particular. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 90 * 24 * 3600;

// "All clients" is stored as ["*"], which is also how a JWT's clients claim may say it.
function toApiToken(row: ApiTokenDbRow): ApiTokenRow {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    scopes: row.scopes,
    clients: row.clients.includes("*") ? "*" : row.clients,
    created_by: row.created_by,
    created_at: toIso(row.created_at),
    expires_at: row.expires_at === null ? null : toIso(row.expires_at),
    revoked_at: row.revoked_at === null ? null : toIso(row.revoked_at),
    last_used_at: row.last_used_at === null ? null : toIso(row.last_used_at),
  };
}

function fromRecord(r: typeof apiTokens.$inferSelect): ApiTokenRow {
  return toApiToken({
    id: r.id,
    name: r.name,
    subject: r.subject,
    scopes: r.scopes as Scope[],
    clients: r.clients,
    created_by: r.createdBy,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    revoked_at: r.revokedAt,
    last_used_at: r.lastUsedAt,
  });
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

export async function listApiTokens(db: Db, actor: Actor): Promise<{ items: ApiTokenRow[] }> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(visibleTo(actor))
    .orderBy(desc(apiTokens.createdAt), asc(apiTokens.id));
  return { items: rows.map(fromRecord) };
}

async function findApiToken(q: Database["query"], id: string): Promise<ApiTokenDbRow> {
  const [row] = await q<ApiTokenDbRow>(`select ${COLUMNS} from api_tokens where id = $1`, [id]);
  if (!row) throw notFound(`API token "${id}" not found`);
  return row;
}

/** One token, or 404 when it does not exist or the caller may not see it (a token of other clients). */
export async function getApiToken(db: Db, actor: Actor, id: string): Promise<ApiTokenRow> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.id, id), visibleTo(actor)));
  if (!row) throw notFound(`API token "${id}" not found`);
  return fromRecord(row);
}

export async function createApiToken(
  database: Database,
  actor: Actor,
  meta: WriteMeta,
  body: ApiTokenCreateBody,
): Promise<ApiTokenRow & { token: string }> {
  assertCovers(actor, body.clients, "Creating");
  const beyond = body.scopes.filter((scope) => !hasScope(actor, scope));
  if (beyond.length > 0)
    throw forbidden(
      `A token can't carry more than its creator has: you lack ${beyond.map((s) => `"${s}"`).join(", ")}`,
    );
  const id = randomUUID();
  const subject = body.subject ?? `token:${body.name}`;
  const scopes = [...new Set(body.scopes)];
  const clients = body.clients === "*" ? "*" : [...new Set(body.clients)];
  const nowSeconds = Math.floor(Date.now() / 1000);
  // 90 days unless a lifetime or no expiry at all is asked for explicitly.
  const lifetime = body.never_expires
    ? undefined
    : (body.expires_in_seconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS);
  const expiresAt = lifetime === undefined ? null : new Date((nowSeconds + lifetime) * 1000);
  const [row] = await database.query<ApiTokenDbRow>(
    `with ins as (
       insert into api_tokens (id, name, subject, scopes, clients, created_by, expires_at)
       values ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7::timestamptz)
       returning ${COLUMNS}
     ), audit as (
       ${auditInsertSql("ins", {
         actor: "$6",
         action: "'token.create'",
         entityType: "'api_token'",
         entityId: "ins.id::text",
         requestId: "$8",
         reason: "$9",
         after: "to_jsonb(ins)",
       })}
     )
     select * from ins`,
    [
      id,
      body.name,
      subject,
      JSON.stringify(scopes),
      JSON.stringify(clients === "*" ? ["*"] : clients),
      actor.subject,
      expiresAt?.toISOString() ?? null,
      meta.requestId,
      meta.reason ?? null,
    ],
  );
  // Minted after the row exists, so every token in circulation can be listed and revoked.
  const token = await mintToken({
    sub: subject,
    scopes,
    clients,
    jti: id,
    expiresInSeconds: lifetime,
  });
  return { ...toApiToken(row!), token };
}

/** Sets revoked_at (once: revoking again answers the same row) and makes this process refuse the token at once. */
export async function revokeApiToken(
  database: Database,
  actor: Actor,
  meta: WriteMeta,
  id: string,
): Promise<ApiTokenRow> {
  const current = await findApiToken(database.query, id);
  assertCovers(actor, current.clients.includes("*") ? "*" : current.clients, "Revoking");
  if (current.revoked_at !== null) return toApiToken(current);
  const [row] = await database.query<ApiTokenDbRow>(
    `with upd as (
       update api_tokens set revoked_at = now() where id = $1 and revoked_at is null returning ${COLUMNS}
     ), audit as (
       ${auditInsertSql("upd", {
         actor: "$2",
         action: "'token.revoke'",
         entityType: "'api_token'",
         entityId: "upd.id::text",
         requestId: "$3",
         reason: "$4",
         before: "jsonb_build_object('revoked_at', null)",
         after: "to_jsonb(upd)",
       })}
     )
     select * from upd`,
    [id, actor.subject, meta.requestId, meta.reason ?? null],
  );
  forgetRevocationCache();
  // Revoked concurrently by another request: answer the row as it now is.
  return row ? toApiToken(row) : getApiToken(database.db, actor, id);
}
