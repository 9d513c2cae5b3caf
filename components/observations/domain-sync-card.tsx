"use client";
// The domain's observed state: per assignment key, the share of services that run what they should (reported
// within the client's stale_after), the counts per state, and the services that are not in sync.
import Link from "next/link";
import { paths } from "@/components/paths";
import { Card, CardHeader } from "@/components/ui/card";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useAssignmentKeys } from "@/lib/browser/queries/assignment-keys";
import { useSyncStatus } from "@/lib/browser/queries/observations";
import { SYNC_STATES } from "@/lib/features/sync-state";
import { SyncBadge, SYNC_LABELS } from "./sync-badge";

const NOT_SYNCED = SYNC_STATES.filter((s) => s !== "synced").join(",");
const LISTED = 20;

export function DomainSyncCard({ clientId, domainId }: { clientId: string; domainId: string }) {
  const assignmentKeys = useAssignmentKeys(clientId, domainId);
  return (
    <Card>
      <CardHeader
        id="observed-heading"
        title="What is really running"
        description="Services report what they loaded; each is compared with what it should run. Reports older than the client's stale_after count as unknown."
      />
      {assignmentKeys.isPending ? (
        <LoadingState label="Loading keys…" />
      ) : assignmentKeys.error ? (
        <ErrorState error={assignmentKeys.error} onRetry={() => assignmentKeys.refetch()} />
      ) : (
        <div className="divide-y divide-border">
          {assignmentKeys.data.items.map((k) => (
            <KeySync
              key={k.assignment_key}
              clientId={clientId}
              domainId={domainId}
              assignmentKey={k.assignment_key}
            />
          ))}
        </div>
      )}
    </Card>
  );
}

function KeySync({
  clientId,
  domainId,
  assignmentKey,
}: {
  clientId: string;
  domainId: string;
  assignmentKey: string;
}) {
  const status = useSyncStatus(clientId, domainId, assignmentKey, {
    sync: NOT_SYNCED,
    limit: LISTED,
  });
  const headingId = `sync-${assignmentKey}`;
  return (
    <section aria-labelledby={headingId} className="space-y-2 px-4 py-3">
      <h3 id={headingId} className="text-sm font-semibold">
        Key <span className="font-mono">{assignmentKey}</span>
      </h3>
      {status.isPending ? (
        <LoadingState label={`Loading the sync state of ${assignmentKey}…`} />
      ) : status.error ? (
        <ErrorState error={status.error} onRetry={() => status.refetch()} />
      ) : (
        <>
          <p className="text-sm">
            <span className="text-lg font-semibold">
              {status.data.counts.synced_percent.toLocaleString(undefined, {
                maximumFractionDigits: 1,
              })}
              %
            </span>{" "}
            in sync: {status.data.counts.synced.toLocaleString()} of{" "}
            {status.data.counts.total.toLocaleString()} services
          </p>
          <ul
            className="flex flex-wrap gap-3 text-xs text-fg-muted"
            aria-label="Services per state"
          >
            {SYNC_STATES.map((s) => (
              <li key={s}>
                {SYNC_LABELS[s]}:{" "}
                <span className="font-medium text-fg">{status.data.counts[s]}</span>
              </li>
            ))}
          </ul>
          {status.data.items.length === 0 ? (
            <p className="text-sm text-fg-muted">Every service runs what it should.</p>
          ) : (
            <table className="w-full text-sm" aria-label={`Not in sync for key ${assignmentKey}`}>
              <thead>
                <tr className="text-left text-xs text-fg-muted">
                  <th className="py-1 pr-3 font-medium">Service</th>
                  <th className="py-1 pr-3 font-medium">State</th>
                  <th className="py-1 pr-3 font-medium">Should run</th>
                  <th className="py-1 font-medium">Reported</th>
                </tr>
              </thead>
              <tbody>
                {status.data.items.map((s) => (
                  <tr key={s.service_id} className="border-t border-border">
                    <td className="py-1 pr-3">
                      <Link
                        className="font-mono text-accent hover:underline"
                        href={paths.service(clientId, domainId, s.service_id)}
                      >
                        {s.service_id}
                      </Link>
                    </td>
                    <td className="py-1 pr-3">
                      <SyncBadge sync={s.sync} since={s.since} />
                    </td>
                    <td className="py-1 pr-3 font-mono text-xs">
                      {s.desired ? `${s.desired.model_id}@${s.desired.model_version}` : "nothing"}
                    </td>
                    <td className="py-1 text-xs">
                      {s.observed ? (
                        <>
                          <span className="font-mono">
                            {s.observed.model_id}@{s.observed.model_version}
                          </span>{" "}
                          ({s.observed.state}){s.observed.message ? `: ${s.observed.message}` : ""}
                        </>
                      ) : (
                        <span className="text-fg-muted">never</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {status.data.next_cursor ? (
            <p className="text-xs text-fg-muted">
              The first {LISTED} are listed; the services table below shows every service&apos;s
              state.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
