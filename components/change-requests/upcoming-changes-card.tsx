"use client";
// The domain page's "Upcoming changes": approved change requests with a time that will change this domain, each
// with its time, a live countdown and what it moves (key → model version, services). Shown only when there is one.
import Link from "next/link";
import { paths } from "@/components/paths";
import { Card, CardHeader } from "@/components/ui/card";
import { Countdown } from "@/components/ui/countdown";
import { DateTime } from "@/components/ui/date-time";
import type { ChangeRequestSummary } from "@/lib/browser/api-client/types";
import {
  useChangeRequest,
  useChangeRequests,
  useReadAfterDue,
} from "@/lib/browser/queries/change-requests";

export function UpcomingChangesCard({
  clientId,
  domainId,
}: {
  clientId: string;
  domainId: string;
}) {
  const requests = useChangeRequests(clientId, { status: "approved", domain_id: domainId });
  const upcoming = (requests.data?.items ?? [])
    .filter((r) => r.apply_at !== null)
    .sort((a, b) => Date.parse(a.apply_at!) - Date.parse(b.apply_at!));
  if (upcoming.length === 0) return null;
  return (
    <Card>
      <CardHeader
        id="upcoming-changes-heading"
        title="Upcoming changes"
        description="Approved change requests scheduled to apply here; services reading their effective assignment see them as `upcoming` until then."
      />
      <ul aria-labelledby="upcoming-changes-heading" className="divide-y divide-border">
        {upcoming.map((r) => (
          <UpcomingRow key={r.id} clientId={clientId} domainId={domainId} request={r} />
        ))}
      </ul>
    </Card>
  );
}

function UpcomingRow({
  clientId,
  domainId,
  request,
}: {
  clientId: string;
  domainId: string;
  request: ChangeRequestSummary;
}) {
  const detail = useChangeRequest(clientId, request.id);
  const readAfterDue = useReadAfterDue(clientId);
  const changes = (detail.data?.changes ?? []).filter(
    (c) => c.domain_id === domainId && !c.impact.unchanged,
  );
  return (
    <li className="space-y-1 px-4 py-3 text-sm" data-testid="upcoming-change">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <Link className="font-medium underline" href={paths.changeRequest(clientId, request.id)}>
          #{request.number} {request.title}
        </Link>
        <span>
          at <DateTime value={request.apply_at!} />,{" "}
          <Countdown to={request.apply_at!} onDue={readAfterDue} className="font-medium" />
        </span>
      </div>
      {changes.length > 0 ? (
        <ul className="text-fg-muted">
          {changes.map((c) => {
            const moved = c.impact.moves
              .filter((m) => m.to !== null)
              .reduce((n, m) => n + m.service_ids.length, 0);
            return (
              <li key={`${c.service_id ?? ""}/${c.assignment_key}`}>
                <span className="font-mono">{c.assignment_key}</span>{" "}
                {c.service_id ? (
                  <>
                    for service <span className="font-mono">{c.service_id}</span>
                  </>
                ) : (
                  "domain default"
                )}{" "}
                →{" "}
                <span className="font-mono">
                  {String(c.body.model_id)} {String(c.body.model_version)}
                </span>{" "}
                ({moved} {moved === 1 ? "service moves" : "services move"})
              </li>
            );
          })}
        </ul>
      ) : null}
    </li>
  );
}
