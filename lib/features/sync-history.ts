// A service's report history on its page: the last changes of its sync state per assignment key, newest first,
// from the domain's change feed (`kind: service`, `action: sync_changed`). Pure: the console's query gives it the
// service's changes in feed order.
import type { SyncState } from "./sync-state";

/** What the history reads of a change (the feed's item). */
export type FeedChange = {
  cursor: string;
  at: string;
  kind: string;
  action: string;
  assignment_key?: string;
  service_id?: string;
  actor: string;
  sync?: SyncState;
  previous_sync?: SyncState;
};

/** One change of a key's sync state: from → to, when and who reported. */
export type SyncHistoryEntry = {
  cursor: string;
  at: string;
  from: SyncState;
  to: SyncState;
  actor: string;
};

/** How many changes the service page shows per key. */
export const SYNC_HISTORY_LENGTH = 10;

/**
 * The last `limit` sync changes of each key, newest first (by cursor: the feed's commit order), from the changes
 * of one service (any order; other kinds and actions, and changes of other services, are left out).
 */
export function syncHistoryByKey(
  changes: readonly FeedChange[],
  serviceId: string,
  limit = SYNC_HISTORY_LENGTH,
): Map<string, SyncHistoryEntry[]> {
  const byKey = new Map<string, SyncHistoryEntry[]>();
  const sorted = changes
    .filter(
      (c) =>
        c.kind === "service" &&
        c.action === "sync_changed" &&
        c.service_id === serviceId &&
        c.assignment_key !== undefined &&
        c.sync !== undefined &&
        c.previous_sync !== undefined,
    )
    .sort((a, b) => Number(b.cursor) - Number(a.cursor));
  for (const c of sorted) {
    const entries = byKey.get(c.assignment_key!) ?? [];
    if (entries.length >= limit) continue;
    entries.push({
      cursor: c.cursor,
      at: c.at,
      from: c.previous_sync!,
      to: c.sync!,
      actor: c.actor,
    });
    byKey.set(c.assignment_key!, entries);
  }
  return byKey;
}
