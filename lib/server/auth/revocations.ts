// What the database says about a token this server minted: its api_tokens row decides whether it is accepted
// (a signed token without a row could never be listed or revoked, so it is refused), revocation reaches every
// app process within TTL_MS, and last use is recorded at most once a minute per token, its first use audited.
import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { getDatabase } from "@/lib/server/database";
import type { Db } from "@/db/types";
import { perDb } from "@/db/statement";
import { apiTokens } from "@/db/schema";
import { UUID_REGEX } from "@/lib/schemas/id";
import { writeAudit } from "@/lib/server/audit/write-audit";

/** Revocation reaches every app process within this many milliseconds; the revoking process sees it at once. */
const TTL_MS = 5_000;
/** last_used_at moves at most this often per token, so busy machines don't write on every request. */
const LAST_USE_EVERY_MS = 60_000;
const MAX_CACHED = 10_000;

type TokenState = "active" | "revoked" | "expired" | "unknown";
type Entry = {
  state: Exclude<TokenState, "expired">;
  checkedAt: number;
  lastUsedAt: number | null;
  /** The row's expiry: the JWT's own exp says the same for tokens minted here, but an adopted one may outlive it. */
  expiresAt: number | null;
};
type Cache = Map<string, Entry>;

const globalForTokens = globalThis as typeof globalThis & { __tokenRecords?: Cache };
const cache = (): Cache => (globalForTokens.__tokenRecords ??= new Map());

// The token check runs on a machine's requests (at most once per TTL_MS per token and process): one statement,
// prepared once per database (on PostgreSQL, once per connection under this name).
const loadStatement = perDb((db: Db) =>
  db
    .select({
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.id, sql.placeholder("jti")))
    .prepare("auth_token_record"),
);

async function load(jti: string): Promise<Entry> {
  const { db } = await getDatabase();
  const [row] = await loadStatement(db).execute({ jti });
  return {
    state: !row ? "unknown" : row.revokedAt ? "revoked" : "active",
    checkedAt: Date.now(),
    lastUsedAt: row?.lastUsedAt?.getTime() ?? null,
    expiresAt: row?.expiresAt?.getTime() ?? null,
  };
}

/**
 * Sets last_used_at unless another request (on any process) did within the last minute; the row lock makes
 * the first use's audit entry happen exactly once.
 */
async function recordUse(jti: string, subject: string): Promise<void> {
  const { db } = await getDatabase();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ lastUsedAt: apiTokens.lastUsedAt })
      .from(apiTokens)
      .where(eq(apiTokens.id, jti))
      .for("update");
    if (!row) return;
    const [updated] = await tx
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiTokens.id, jti),
          or(
            isNull(apiTokens.lastUsedAt),
            lt(
              apiTokens.lastUsedAt,
              sql`now() - make_interval(secs => ${LAST_USE_EVERY_MS / 1000})`,
            ),
          ),
        ),
      )
      .returning({ lastUsedAt: apiTokens.lastUsedAt });
    if (updated && row.lastUsedAt === null) {
      await writeAudit(tx, {
        actor: subject,
        action: "token.first_use",
        entityType: "api_token",
        entityId: jti,
        after: { last_used_at: updated.lastUsedAt },
      });
    }
  });
}

/**
 * The state of a token minted here (by its jti), recording its use when it is active. The row's expires_at is
 * enforced too: for an adopted legacy token it is the only expiry there is.
 */
export async function checkTokenRecord(jti: string, subject: string): Promise<TokenState> {
  if (!UUID_REGEX.test(jti)) return "unknown";
  const entries = cache();
  let entry = entries.get(jti);
  if (!entry || Date.now() - entry.checkedAt > TTL_MS) {
    entry = await load(jti);
    if (entries.size >= MAX_CACHED) entries.delete(entries.keys().next().value as string);
    entries.set(jti, entry);
  }
  if (entry.state === "active" && entry.expiresAt !== null && entry.expiresAt <= Date.now())
    return "expired";
  if (entry.state === "active" && (entry.lastUsedAt ?? 0) < Date.now() - LAST_USE_EVERY_MS) {
    // Claimed before the write, so concurrent requests of this process write once.
    entry.lastUsedAt = Date.now();
    await recordUse(jti, subject);
  }
  return entry.state;
}

/** Called by the process that revokes (and by tests), so its own next request already refuses the token. */
export function forgetRevocationCache(): void {
  globalForTokens.__tokenRecords = undefined;
}
