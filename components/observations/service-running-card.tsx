"use client";
// One service's observed state: per assignment key, what it should run next to what it last reported, with the
// sync state and how long it has been so; then its report history (the last changes of state per key).
import { Card, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useSyncStatusesOf } from "@/lib/browser/queries/observations";
import { SyncBadge } from "./sync-badge";
import { SyncHistory } from "./sync-history";

export function ServiceRunningCard({
  clientId,
  domainId,
  serviceId,
  assignmentKeys,
}: {
  clientId: string;
  domainId: string;
  serviceId: string;
  assignmentKeys: readonly string[];
}) {
  const statuses = useSyncStatusesOf(clientId, domainId, assignmentKeys, [serviceId]);
  const rows = assignmentKeys
    .map((key) => ({ key, status: statuses[key]?.[serviceId] }))
    .filter((r) => r.status);
  return (
    <Card>
      <CardHeader
        id="running-heading"
        title="What it reports it runs"
        description="The service's last report per key, compared with what it should run."
      />
      {rows.length === 0 ? (
        <EmptyState title="Nothing to compare yet">
          This service has no effective assignment and has reported nothing.
        </EmptyState>
      ) : (
        <Table aria-labelledby="running-heading">
          <thead>
            <tr>
              <Th>Key</Th>
              <Th>Should run</Th>
              <Th>Reported</Th>
              <Th>State</Th>
              <Th>Last seen</Th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, status }) => (
              <Tr key={key}>
                <Td className="font-mono">{key}</Td>
                <Td className="font-mono text-xs">
                  {status!.desired
                    ? `${status!.desired.model_id}@${status!.desired.model_version}`
                    : "nothing"}
                </Td>
                <Td className="text-xs">
                  {status!.observed ? (
                    <>
                      <span className="font-mono">
                        {status!.observed.model_id}@{status!.observed.model_version}
                      </span>{" "}
                      ({status!.observed.state})
                      {status!.observed.message ? `: ${status!.observed.message}` : ""}
                    </>
                  ) : (
                    <span className="text-fg-muted">never reported</span>
                  )}
                </Td>
                <Td>
                  <SyncBadge sync={status!.sync} since={status!.since} />
                </Td>
                <Td className="text-xs">
                  {status!.last_seen ? <RelativeTime iso={status!.last_seen} /> : "—"}
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      <SyncHistory
        clientId={clientId}
        domainId={domainId}
        serviceId={serviceId}
        assignmentKeys={assignmentKeys}
      />
    </Card>
  );
}
