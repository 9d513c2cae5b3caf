"use client";
// One revision of a key's history: who changed what and when, what differs from the revision before, the
// services' features changed with it, and its Restore button (with what went wrong restoring it).
import Link from "next/link";
import type { ReactNode } from "react";
import { paths } from "@/components/paths";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { BeforeAfterTable } from "@/components/ui/before-after-table";
import { Button } from "@/components/ui/button";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, CardBody } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/date-time";
import type { Assignment, AssignmentRevision } from "@/lib/browser/api-client/types";
import { formatActor } from "@/lib/shared/format-actor";
import { ModelVersion } from "../model-version";
import {
  diffRevisions,
  diffServiceChanges,
  isRetireRevision,
  type RevisionChange,
  type ServiceFeatureChange,
} from "../revision-diff";
import type { RestoreProblem } from "./use-restore-revision";

export function RevisionCard({
  revision,
  previous,
  isActive,
  canRestore,
  auditHref,
  busy,
  onRestore,
  problem,
  fixHref,
  fixLabel,
}: {
  revision: AssignmentRevision;
  previous: Assignment | null;
  isActive: boolean;
  canRestore: boolean;
  /** The revision's audit entry (admins only). */
  auditHref: string | null;
  busy: boolean;
  onRestore: () => void;
  problem: RestoreProblem | null;
  fixHref: string;
  fixLabel: string;
}) {
  const headingId = `revision-${revision.revision}`;
  const retired = isRetireRevision(revision);
  const changes = previous ? diffRevisions(previous, revision) : [];
  return (
    <Card className={isActive ? "border-ok/50" : undefined}>
      <article aria-labelledby={headingId}>
        <div className="flex flex-wrap items-start justify-between gap-3 border-b border-border px-4 py-3">
          <div className="min-w-0 space-y-1">
            <h2
              id={headingId}
              className="flex flex-wrap items-center gap-2 text-base font-semibold"
            >
              Revision {revision.revision}
              {isActive ? <Badge tone="ok">active</Badge> : <Badge>archived</Badge>}
              {retired ? <Badge tone="warn">retired the key</Badge> : null}
              <ModelVersion
                modelId={revision.model_id}
                version={revision.model_version}
                className="font-normal"
              />
            </h2>
            <p className="text-sm text-fg-muted">
              by <span className="text-fg">{formatActor(revision.created_by)}</span> ·{" "}
              <RelativeTime iso={revision.created_at} />
              {revision.role ? (
                <>
                  {" "}
                  · role <span className="text-fg">{revision.role}</span>
                </>
              ) : null}
              {auditHref ? (
                <>
                  {" "}
                  ·{" "}
                  <Link className="text-accent underline" href={auditHref}>
                    Audit entry
                  </Link>
                </>
              ) : null}
            </p>
            {/* One line per note about how the revision came to be (restore, reason). */}
            {typeof revision.restored_from_revision === "number" ? (
              <p className="text-sm text-fg-muted">
                Restored from{" "}
                <a
                  className="text-accent underline"
                  href={`#revision-${revision.restored_from_revision}`}
                >
                  revision {revision.restored_from_revision}
                </a>
              </p>
            ) : null}
            {revision.change_request_id ? (
              <Note label="Applied by">
                <Link
                  className="text-accent underline"
                  href={paths.changeRequest(revision.client_id, revision.change_request_id)}
                >
                  change request
                </Link>
              </Note>
            ) : null}
            {revision.approval_bypass ? (
              <Note label="by an admin:" badge="approval bypassed">
                {revision.approval_bypass}
              </Note>
            ) : null}
            {revision.change_reason ? <Note label="Reason:">{revision.change_reason}</Note> : null}
          </div>
          {canRestore ? (
            <Button
              size="sm"
              onClick={onRestore}
              busy={busy}
              aria-label={`Restore revision ${revision.revision}`}
            >
              Restore
            </Button>
          ) : null}
        </div>
        <CardBody className="space-y-3">
          {problem ? (
            <RestoreProblemAlert problem={problem} fixHref={fixHref} fixLabel={fixLabel} />
          ) : null}
          {previous === null ? (
            <p className="text-sm text-fg-muted">
              {revision.revision === 1
                ? "The first revision of this key."
                : "The oldest revision loaded."}
            </p>
          ) : (
            <RevisionDiff changes={changes} previous={previous} retired={retired} />
          )}
          <ServiceChanges revision={revision.revision} changes={revision.service_changes ?? []} />
        </CardBody>
      </article>
    </Card>
  );
}

/** One note on how the revision came to be: "Reason: …", "Applied by change request". */
function Note({ label, badge, children }: { label: string; badge?: string; children: ReactNode }) {
  return (
    <p className="text-sm">
      {badge ? (
        <>
          <Badge tone="warn">{badge}</Badge>{" "}
        </>
      ) : null}
      <span className="text-fg-muted">{label}</span> {children}
    </p>
  );
}

function RevisionDiff({
  changes,
  previous,
  retired,
}: {
  changes: RevisionChange[];
  previous: Assignment;
  retired: boolean;
}) {
  if (changes.length === 0) {
    return (
      <p className="text-sm text-fg-muted">
        {retired
          ? `Retired the key: same content as revision ${previous.revision}, stored archived so no revision stays active.`
          : `Same content as revision ${previous.revision}.`}
      </p>
    );
  }
  return (
    <div>
      <p className="mb-1 text-xs font-medium tracking-wide text-fg-muted uppercase">
        Changes from revision {previous.revision}
        {retired ? " (and retired the key)" : ""}
      </p>
      <BeforeAfterTable
        caption={`Changes from revision ${previous.revision}`}
        rows={changes.map((c) => ({ key: c.field, label: c.field, before: c.from, after: c.to }))}
      />
    </div>
  );
}

/** The services' feature changes written in the same transaction as the revision (service_updates). */
function ServiceChanges({
  revision,
  changes,
}: {
  revision: number;
  changes: AssignmentRevision["service_changes"];
}) {
  if (changes.length === 0) return null;
  const rows: ServiceFeatureChange[] = diffServiceChanges(changes);
  const title = `Service features changed with revision ${revision}`;
  const count = `${changes.length} ${changes.length === 1 ? "service" : "services"}`;
  return (
    <div>
      <p className="mb-1 text-xs font-medium tracking-wide text-fg-muted uppercase">
        Service features changed with it ({count})
      </p>
      <BeforeAfterTable
        caption={title}
        labelHeader="Service · feature"
        rows={rows.map((c) => ({
          key: `${c.service_id}/${c.field}`,
          label: (
            <>
              {c.service_id} <span className="text-fg-muted">{c.field}</span>
            </>
          ),
          before: c.from,
          after: c.to,
        }))}
      />
    </div>
  );
}

function RestoreProblemAlert({
  problem,
  fixHref,
  fixLabel,
}: {
  problem: RestoreProblem;
  fixHref: string;
  fixLabel: string;
}) {
  if (problem.kind === "blocked") {
    return (
      <Alert
        tone="danger"
        role="alert"
        title={`Restoring revision ${problem.revision.revision} would break ${problem.blocking.length} ${problem.blocking.length === 1 ? "service" : "services"}`}
        actions={<ButtonLink href={fixHref}>{fixLabel}</ButtonLink>}
      >
        <p>{problem.message}</p>
        <ul aria-label="Blocking services" className="mt-2 space-y-1">
          {problem.blocking.map((b) => (
            <li key={b.service_id}>
              <span className="font-mono font-medium">{b.service_id}</span>
              {b.missing.length > 0 ? <>: missing {b.missing.join(", ")}</> : null}
              {b.invalid.map((i) => (
                <span key={i.key}>
                  {"; "}
                  {i.key} has {i.got}, expected {i.expected}
                </span>
              ))}
            </li>
          ))}
        </ul>
      </Alert>
    );
  }
  return (
    <Alert
      tone="danger"
      role="alert"
      title={
        problem.kind === "conflict"
          ? "Someone else changed this key while you were looking"
          : `Could not restore revision ${problem.revision.revision}`
      }
    >
      {problem.message}
      {problem.kind === "conflict"
        ? " The list above is reloaded: check the newest revision, then restore again if you still want to."
        : null}
    </Alert>
  );
}
