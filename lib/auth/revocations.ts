// Revoked token ids, read from the database and cached briefly per process.
import { getDatabase } from "@/db/client";

// Revocation reaches every app process within this many milliseconds; the revoking process sees it at once.
const TTL_MS = 5_000;

type Cache = { ids: Set<string>; loadedAt: number; loading?: Promise<Set<string>> };
const globalForRevocations = globalThis as typeof globalThis & { __revokedTokens?: Cache };

export async function isTokenRevoked(jti: string): Promise<boolean> {
  if (!jti) return false;
  const cache = (globalForRevocations.__revokedTokens ??= { ids: new Set(), loadedAt: 0 });
  if (Date.now() - cache.loadedAt > TTL_MS) {
    cache.loading ??= (async () => {
      try {
        const { query } = await getDatabase();
        // Only tokens that could still verify: an expired one is refused by its signature check already.
        const rows = await query<{ id: string }>(
          "select id from api_tokens where revoked_at is not null and (expires_at is null or expires_at > now())",
        );
        cache.ids = new Set(rows.map((r) => r.id));
        cache.loadedAt = Date.now();
        return cache.ids;
      } finally {
        cache.loading = undefined;
      }
    })();
    await cache.loading;
  }
  return cache.ids.has(jti);
}

/** Called by the process that revokes, so its own next request already refuses the token. */
export function forgetRevocationCache(): void {
  globalForRevocations.__revokedTokens = undefined;
}
