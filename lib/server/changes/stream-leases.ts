// The limit on open change streams per credential (a token, or a person's sessions together): each stream may
// buffer up to 4 MiB, so one leaked or hostile credential must not open thousands. The count lives in the
// database (change_streams), so it holds across every app instance; each instance refreshes its own streams' rows
// in one statement per heartbeat, and a row nobody refreshed for STALE_SECONDS (its instance died) stops counting.
import "server-only";
import { randomUUID } from "node:crypto";
import { and, count, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/types";
import { changeStreams } from "@/db/schema";
import { lockKey } from "@/lib/server/locks";
import { getEnv } from "@/lib/server/env";
import { ApiError } from "@/lib/shared/errors";
import type { Actor } from "@/lib/shared/scopes";

/** How often an instance refreshes its streams' rows; the change hub's heartbeat is 15 s. */
const REFRESH_MS = 15_000;
/** A row not refreshed for this long belongs to a stream whose instance is gone. */
const STALE_SECONDS = 60;

type Leases = { ids: Set<string>; timer: ReturnType<typeof setInterval> | null };
const globalForLeases = globalThis as typeof globalThis & {
  __changeStreamLeases?: WeakMap<Database, Leases>;
};
const leasesOf = (database: Database): Leases => {
  const all = (globalForLeases.__changeStreamLeases ??= new WeakMap());
  let leases = all.get(database);
  if (!leases) all.set(database, (leases = { ids: new Set(), timer: null }));
  return leases;
};

/** Whose streams are counted together: a token's own, a person's sessions', an identity-provider subject's. */
export function streamHolder(actor: Actor): string {
  if (actor.tokenId) return `token:${actor.tokenId}`;
  if (actor.userId) return `person:${actor.userId}`;
  return `subject:${actor.subject}`;
}

export function streamLimit(): number {
  return getEnv().CHANGE_STREAMS_PER_CREDENTIAL;
}

/**
 * Takes one of the holder's stream places, or throws 429 when all are taken. Returns the release function (call
 * it once, when the stream ends).
 */
export async function acquireStreamLease(
  database: Database,
  actor: Actor,
): Promise<() => Promise<void>> {
  const holder = streamHolder(actor);
  const limit = streamLimit();
  const id = randomUUID();
  await database.db.transaction(async (tx) => {
    // Two instances opening the holder's last place at once: one waits for the other's count and insert.
    await lockKey(tx, `change-streams:${holder}`);
    await tx
      .delete(changeStreams)
      .where(
        and(
          eq(changeStreams.holder, holder),
          lt(changeStreams.seenAt, sql`now() - make_interval(secs => ${STALE_SECONDS})`),
        ),
      );
    const [open] = await tx
      .select({ n: count() })
      .from(changeStreams)
      .where(
        and(
          eq(changeStreams.holder, holder),
          gte(changeStreams.seenAt, sql`now() - make_interval(secs => ${STALE_SECONDS})`),
        ),
      );
    if ((open?.n ?? 0) >= limit) {
      const whose = holder.startsWith("person:") ? "you have" : "this token has";
      throw new ApiError(
        429,
        `Too many open change streams: ${whose} ${limit} open (the limit per token and per person); ` +
          `close one (another tab or client following a change feed) or wait up to ${STALE_SECONDS} s for a closed one to count no more`,
        {},
        { "Retry-After": "15" },
      );
    }
    await tx.insert(changeStreams).values({ id, holder });
  });
  const leases = leasesOf(database);
  leases.ids.add(id);
  leases.timer ??= startRefreshing(database, leases);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    leases.ids.delete(id);
    if (leases.ids.size === 0 && leases.timer) {
      clearInterval(leases.timer);
      leases.timer = null;
    }
    try {
      await database.db.delete(changeStreams).where(eq(changeStreams.id, id));
    } catch {
      // The database is gone (shutdown): the row goes stale and stops counting.
    }
  };
}

function startRefreshing(database: Database, leases: Leases): ReturnType<typeof setInterval> {
  const timer = setInterval(() => {
    const ids = [...leases.ids];
    if (ids.length === 0) return;
    database.db
      .update(changeStreams)
      .set({ seenAt: sql`now()` })
      .where(inArray(changeStreams.id, ids))
      .catch(() => {
        // Retried at the next refresh; a stream missed for STALE_SECONDS only stops counting.
      });
  }, REFRESH_MS);
  timer.unref?.();
  return timer;
}
