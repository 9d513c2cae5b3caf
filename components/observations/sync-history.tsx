"use client";
// A service's report history: per key, the last changes of its sync state (from → to, when, who reported), newest
// first, from the domain's change feed.
import { DateTime } from "@/components/ui/date-time";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { SYNC_HISTORY_LENGTH } from "@/lib/features/sync-history";
import { useServiceSyncHistory } from "@/lib/browser/queries/observations";
import { SYNC_LABELS } from "./sync-badge";

export function SyncHistory({
  clientId,
  domainId,
  serviceId,
  assignmentKeys,
}: {
  clientId: string;
  domainId: string;
  serviceId: string;
  /** The keys to show first, in this order; any other key with history follows. */
  assignmentKeys: readonly string[];
}) {
  const history = useServiceSyncHistory(clientId, domainId, serviceId);
  return (
    <section aria-labelledby="sync-history-heading" className="border-t border-border">
      <h3 id="sync-history-heading" className="px-4 pt-3 text-sm font-semibold">
        Changes of state
      </h3>
      <p className="px-4 text-xs text-fg-muted">
        The last {SYNC_HISTORY_LENGTH} per key, newest first, as its reports changed them.
      </p>
      {history.isPending ? (
        <LoadingState label="Loading the report history…" />
      ) : history.error ? (
        <ErrorState
          title="Could not load the report history"
          error={history.error}
          onRetry={() => void history.refetch()}
        />
      ) : history.data.size === 0 ? (
        <EmptyState title="No changes of state yet">
          A change shows here when a report moves the service from one state to another.
        </EmptyState>
      ) : (
        <div className="space-y-3 p-4">
          {[
            ...assignmentKeys.filter((k) => history.data.has(k)),
            ...[...history.data.keys()].filter((k) => !assignmentKeys.includes(k)).sort(),
          ].map((key) => (
            <div key={key}>
              <h4 className="font-mono text-xs font-semibold" id={`sync-history-${key}`}>
                {key}
              </h4>
              <ol aria-labelledby={`sync-history-${key}`} className="mt-1 space-y-1 text-xs">
                {history.data.get(key)!.map((e) => (
                  <li key={e.cursor} className="flex flex-wrap gap-x-2">
                    <span>
                      {SYNC_LABELS[e.from]} → <strong>{SYNC_LABELS[e.to]}</strong>
                    </span>
                    <DateTime value={e.at} className="text-fg-muted" />
                    <span className="text-fg-muted">reported by {e.actor}</span>
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
