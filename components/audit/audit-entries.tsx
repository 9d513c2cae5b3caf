"use client";
// The audit log's entries, newest first, a page at a time: each with its action, the entity it is about (linked
// where the console shows it), who, when, why, and a before/after table of what it changed.
import Link from "next/link";
import { paths } from "@/components/paths";
import { Badge } from "@/components/ui/badge";
import { BeforeAfterTable } from "@/components/ui/before-after-table";
import { Button } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useAuditEntries, type AuditEntry, type AuditFilters } from "@/lib/browser/queries/audit";
import { formatActor } from "@/lib/shared/format-actor";
import { auditChanges, showValue } from "./audit-diff";

/** Where the entity an entry is about lives in the console, if anywhere. */
function entityHref(entry: Pick<AuditEntry, "entity_type" | "entity_id">): string | null {
  const parts = entry.entity_id.split("/");
  switch (entry.entity_type) {
    case "client":
      return paths.client(entry.entity_id);
    case "domain":
      return parts.length === 2 ? paths.domain(parts[0]!, parts[1]!) : null;
    case "service":
      return parts.length === 3 ? paths.service(parts[0]!, parts[1]!, parts[2]!) : null;
    case "assignment":
      return parts.length === 4
        ? paths.history(
            { clientId: parts[0]!, domainId: parts[1]!, serviceId: parts[2] || null },
            parts[3]!,
          )
        : null;
    case "model":
      return paths.model(entry.entity_id);
    case "model_version": {
      const at = entry.entity_id.lastIndexOf("@");
      return at > 0
        ? paths.modelVersion(entry.entity_id.slice(0, at), entry.entity_id.slice(at + 1))
        : null;
    }
    case "user":
    case "api_token":
      return paths.access();
    default:
      return null;
  }
}

export function AuditEntries({ filters }: { filters: AuditFilters }) {
  const query = useAuditEntries(filters);
  if (query.isPending) return <LoadingState label="Loading the audit log…" />;
  if (query.error)
    return (
      <ErrorState
        error={query.error}
        onRetry={() => query.refetch()}
        title="Could not load the audit log"
      />
    );
  const entries = query.data.pages.flatMap((p) => p.items);
  if (entries.length === 0)
    return (
      <Card>
        <EmptyState title="No audit entries match these filters" />
      </Card>
    );
  return (
    <div className="space-y-3">
      <p className="text-sm text-fg-muted" role="status">
        {entries.length} {entries.length === 1 ? "entry" : "entries"}
        {query.hasNextPage ? " so far" : ""}, newest first.
      </p>
      <ol aria-label="Audit entries" className="space-y-3">
        {entries.map((entry) => (
          <li key={entry.id}>
            <AuditEntryCard entry={entry} />
          </li>
        ))}
      </ol>
      {query.hasNextPage ? (
        <Button onClick={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>
          Load older entries
        </Button>
      ) : null}
    </div>
  );
}

function AuditEntryCard({ entry }: { entry: AuditEntry }) {
  const href = entityHref(entry);
  const changes = auditChanges(entry.before, entry.after);
  const headingId = `audit-${entry.id}`;
  return (
    <Card>
      <article aria-labelledby={headingId}>
        <div className="space-y-1 border-b border-border px-4 py-3">
          <h2 id={headingId} className="flex flex-wrap items-center gap-2 text-base font-semibold">
            <Badge>{entry.action}</Badge>
            {href ? (
              <Link className="font-mono text-accent underline" href={href}>
                {entry.entity_id}
              </Link>
            ) : (
              <span className="font-mono">{entry.entity_id}</span>
            )}
          </h2>
          <p className="text-sm text-fg-muted">
            by <span className="text-fg">{formatActor(entry.actor)}</span> ·{" "}
            <DateTime value={entry.at} />
            {entry.client_id ? <> · client {entry.client_id}</> : null}
            {entry.request_id ? (
              <>
                {" "}
                · request <span className="font-mono">{entry.request_id}</span>
              </>
            ) : null}{" "}
            · entry #{entry.id}
          </p>
          <p className="text-sm">
            <span className="text-fg-muted">Reason:</span>{" "}
            {entry.reason ?? <span className="text-fg-muted">(none given)</span>}
          </p>
        </div>
        <CardBody>
          {changes.length === 0 ? (
            <p className="text-sm text-fg-muted">No field changed.</p>
          ) : (
            <BeforeAfterTable
              caption={`What entry ${entry.id} changed`}
              noAfter="(none)"
              rows={changes.map((c) => ({
                key: c.field,
                label: c.field,
                before: c.before === undefined ? null : showValue(c.before),
                after: c.after === undefined ? null : showValue(c.after),
              }))}
            />
          )}
        </CardBody>
      </article>
    </Card>
  );
}
