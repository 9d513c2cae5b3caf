"use client";
// What a service reported it runs for one key, next to what it should run: the state badge, and the reported
// model@version when it differs from what it should run (or failed, with the message).
import type { ServiceSyncStatus } from "@/lib/schemas/observations";
import { SyncBadge } from "./sync-badge";

export function RunningSummary({ status }: { status: ServiceSyncStatus | undefined }) {
  if (!status) return <SyncBadge sync="unknown" since={null} />;
  const { observed, desired } = status;
  const differs =
    observed &&
    (!desired ||
      observed.model_id !== desired.model_id ||
      observed.model_version !== desired.model_version);
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <SyncBadge sync={status.sync} since={status.since} />
      {observed &&
      (differs || status.sync === "contract_mismatch" || observed.state !== "loaded") ? (
        <span className="text-xs text-fg-muted">
          runs{" "}
          <span className="font-mono">
            {observed.model_id}@{observed.model_version}
          </span>
          {observed.state !== "loaded" ? ` (${observed.state})` : null}
          {status.sync === "contract_mismatch" ? " with another contract" : null}
        </span>
      ) : null}
      {observed?.message ? (
        <span className="max-w-56 truncate text-xs text-fg-muted" title={observed.message}>
          {observed.message}
        </span>
      ) : null}
    </span>
  );
}
