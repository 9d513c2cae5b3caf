"use client";
// A table of change requests (a client's, or the signed-in person's review queue across clients).
import Link from "next/link";
import { paths } from "@/components/paths";
import { Countdown } from "@/components/ui/countdown";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import type { ChangeRequestSummary } from "@/lib/browser/api-client/types";
import { formatActor } from "@/lib/shared/format-actor";
import { RequestStatus } from "./request-status";

export function ChangeRequestTable({
  items,
  empty,
  showClient = false,
}: {
  items: ChangeRequestSummary[];
  empty: string;
  showClient?: boolean;
}) {
  if (items.length === 0) return <EmptyState title={empty} />;
  return (
    <Table>
      <thead>
        <Tr>
          <Th>Request</Th>
          {showClient ? <Th>Client</Th> : null}
          <Th>Status</Th>
          <Th>Approvals</Th>
          <Th>Domains</Th>
          <Th>Author</Th>
          <Th>Opened</Th>
          <Th>Scheduled</Th>
        </Tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <Tr key={r.id}>
            <Td>
              <Link className="font-medium underline" href={paths.changeRequest(r.client_id, r.id)}>
                #{r.number} {r.title}
              </Link>
              {r.blocked ? <span className="ml-2 text-xs text-danger">blocked</span> : null}
            </Td>
            {showClient ? <Td>{r.client_id}</Td> : null}
            <Td>
              <RequestStatus status={r.status} />
            </Td>
            <Td>
              {r.approvals} of {r.required_approvals}
            </Td>
            <Td>{r.domain_ids.join(", ")}</Td>
            <Td>{formatActor(r.author)}</Td>
            <Td>
              <DateTime value={r.created_at} />
            </Td>
            <Td>
              {r.apply_at ? (
                <>
                  <DateTime value={r.apply_at} />
                  {["open", "approved", "stale", "rejected"].includes(r.status) ? (
                    <>
                      {" "}
                      <Countdown to={r.apply_at} className="text-xs text-fg-muted" />
                    </>
                  ) : null}
                </>
              ) : (
                <span className="text-fg-muted">—</span>
              )}
            </Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
