"use client";
// A key's revisions, newest first: who changed what and when, what differs from the revision before, and
// "Restore": a normal upsert of an old revision's content, guarded by If-Match, so every check applies again.
import Link from "next/link";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { paths } from "@/components/paths";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ButtonLink } from "@/components/ui/button-link";
import { BeforeAfterTable } from "@/components/ui/before-after-table";
import { Card, CardBody } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/date-time";
import { ConfirmDialog } from "@/components/ui/dialog";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import type {
  Assignment,
  AssignmentRevision,
  BlockingService,
} from "@/lib/browser/api-client/types";
import { formatActor } from "@/lib/shared/format-actor";
import {
  resaveBody,
  useAssignment,
  useRevisions,
  useUpsertAssignment,
} from "@/lib/browser/queries/assignments";
import { useCreateAssignment } from "@/lib/browser/queries/assignment-create";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { useMe } from "@/lib/browser/queries/me";
import { useDomain, useReasonRequired } from "@/lib/browser/queries/tenancy";
import { ReasonField, reasonProblem } from "@/components/audit/reason-field";
import { ModelVersion } from "./model-version";
import {
  diffRevisions,
  diffServiceChanges,
  isRetireRevision,
  type RevisionChange,
  type ServiceFeatureChange,
} from "./revision-diff";
import { useScopeCrumbs } from "./use-scope-crumbs";

type Props = {
  clientId: string;
  domainId: string;
  serviceId: string | null;
  assignmentKey: string;
};

type RestoreProblem =
  | { kind: "blocked"; revision: Assignment; message: string; blocking: BlockingService[] }
  | { kind: "conflict" | "failed"; revision: Assignment; message: string };

export function RevisionHistory({ clientId, domainId, serviceId, assignmentKey }: Props) {
  const scope = useMemo<ScopeKey>(
    () => ({ clientId, domainId, serviceId }),
    [clientId, domainId, serviceId],
  );
  const me = useMe();
  const revisions = useRevisions(scope, assignmentKey);
  const current = useAssignment(scope, assignmentKey);
  const domain = useDomain(clientId, domainId);
  const crumbs = useScopeCrumbs(scope, [
    {
      label: assignmentKey,
      href: serviceId ? undefined : paths.editor(clientId, domainId, assignmentKey),
    },
    { label: "History" },
  ]);
  const upsert = useUpsertAssignment(scope);
  const create = useCreateAssignment(scope);
  const [confirming, setConfirming] = useState<Assignment | null>(null);
  const [problem, setProblem] = useState<RestoreProblem | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const reasonRequired = useReasonRequired(clientId);

  const canWrite = me.data?.can.write_assignments ?? false;
  const domainName = domain.data?.name ?? domainId;
  const items = revisions.data?.items ?? [];
  const active = current.data?.data ?? null;

  async function restore(revision: Assignment) {
    setProblem(null);
    const badReason = reasonProblem(reason, reasonRequired);
    setReasonError(badReason);
    if (badReason) return;
    // The marker makes the new revision say "restored from revision N" in history.
    const body = { ...resaveBody(revision, "active"), restored_from_revision: revision.revision };
    try {
      const base = current.data;
      const result = base
        ? await upsert.mutateAsync({ key: assignmentKey, body, ifMatch: base.etag, reason })
        : await create.mutateAsync({ key: assignmentKey, body, reason });
      setConfirming(null);
      setReason("");
      if (base && result.data.assignment_id === base.data.assignment_id) {
        toast.info(
          `Nothing to restore: revision ${base.data.revision} already runs exactly what revision ${revision.revision} did.`,
        );
        return;
      }
      toast.success(
        `Restored revision ${revision.revision} as revision ${result.data.revision} (${result.data.model_id}@${result.data.model_version})`,
      );
    } catch (error) {
      setConfirming(null);
      const message = (error as Error).message;
      if (
        error instanceof ApiClientError &&
        error.status === 422 &&
        error.blockingServices.length > 0
      ) {
        setProblem({ kind: "blocked", revision, message, blocking: error.blockingServices });
      } else if (
        error instanceof ApiClientError &&
        (error.status === 412 || error.status === 409)
      ) {
        setProblem({ kind: "conflict", revision, message });
        void current.refetch();
        void revisions.refetch();
      } else {
        setProblem({ kind: "failed", revision, message });
      }
    }
  }

  const header = (
    <PageHeader
      crumbs={crumbs}
      title={
        <>
          History of <span className="font-mono">{assignmentKey}</span>
        </>
      }
      description={
        serviceId
          ? `Service ${serviceId}'s own assignment for this key in ${domainName}; it overrides the domain default.`
          : `The domain default for ${domainName}. Each change makes a new revision; old ones are kept for the jobs that ran on them.`
      }
      actions={
        serviceId ? (
          <ButtonLink href={paths.service(clientId, domainId, serviceId)}>
            Back to the service
          </ButtonLink>
        ) : (
          <ButtonLink
            href={paths.editor(clientId, domainId, assignmentKey)}
            variant={canWrite ? "primary" : "secondary"}
          >
            {canWrite ? "Open the editor" : "Current state"}
          </ButtonLink>
        )
      }
    />
  );

  if (revisions.isPending) {
    return (
      <>
        {header}
        <LoadingState label="Loading revisions…" />
      </>
    );
  }
  // The revisions route answers 404 for a key that never had one; any other 404 (no such domain) is an error.
  const neverAssigned =
    revisions.error instanceof ApiClientError &&
    revisions.error.status === 404 &&
    /no revisions/i.test(revisions.error.message);
  if (revisions.error && !neverAssigned) {
    return (
      <>
        {header}
        <ErrorState
          error={revisions.error}
          onRetry={() => revisions.refetch()}
          title="Could not load the history"
        />
      </>
    );
  }
  if (items.length === 0) {
    return (
      <>
        {header}
        <Card>
          <EmptyState title={`No revisions of ${assignmentKey} yet`}>
            {serviceId ? (
              "This service has never had its own assignment for this key; it runs the domain default."
            ) : (
              <>
                Nothing was ever assigned for this key in {domainName}.{" "}
                {canWrite ? (
                  <Link
                    className="text-accent underline"
                    href={paths.editor(clientId, domainId, assignmentKey)}
                  >
                    Assign a model version
                  </Link>
                ) : null}
              </>
            )}
          </EmptyState>
        </Card>
      </>
    );
  }

  return (
    <>
      {header}
      <div className="space-y-4">
        <p className="text-sm text-fg-muted" role="status">
          {items.length} {items.length === 1 ? "revision" : "revisions"}, newest first.{" "}
          {active ? (
            <>
              Running now: revision {active.revision},{" "}
              <ModelVersion modelId={active.model_id} version={active.model_version} />.
            </>
          ) : current.isPending ? null : (
            "No revision is active: the key is retired."
          )}
        </p>
        {revisions.data?.next_cursor ? (
          <Alert title="Only the newest 1000 revisions are shown" />
        ) : null}
        <ol aria-label="Revisions" className="space-y-3">
          {items.map((revision, index) => {
            const previous = items[index + 1] ?? null;
            const isActive = revision.status === "active";
            return (
              <li key={revision.assignment_id}>
                <RevisionCard
                  revision={revision}
                  previous={previous}
                  isActive={isActive}
                  canRestore={canWrite && !isActive}
                  auditHref={me.data?.can.admin ? paths.revisionAudit(revision) : null}
                  busy={
                    (upsert.isPending || create.isPending) &&
                    confirming?.assignment_id === revision.assignment_id
                  }
                  onRestore={() => setConfirming(revision)}
                  problem={
                    problem?.revision.assignment_id === revision.assignment_id ? problem : null
                  }
                  fixHref={
                    serviceId
                      ? paths.service(clientId, domainId, serviceId)
                      : paths.editor(clientId, domainId, assignmentKey, revision.assignment_id)
                  }
                  fixLabel={
                    serviceId
                      ? "Open the service to fix its features"
                      : `Open revision ${revision.revision} in the editor to fill them in`
                  }
                />
              </li>
            );
          })}
        </ol>
      </div>
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => (open ? null : setConfirming(null))}
        title={confirming ? `Restore revision ${confirming.revision}?` : "Restore"}
        description={
          confirming ? (
            <>
              This saves a new active revision running {confirming.model_id}@
              {confirming.model_version} with revision {confirming.revision}
              &apos;s role, settings and metadata
              {active ? `, replacing revision ${active.revision}` : ""}. Every compatibility check
              applies, as for any change.
            </>
          ) : null
        }
        confirmLabel={confirming ? `Restore revision ${confirming.revision}` : "Restore"}
        tone="primary"
        onConfirm={() => confirming && void restore(confirming)}
        busy={upsert.isPending || create.isPending}
      >
        <ReasonField
          id="restore-reason"
          value={reason}
          onChange={setReason}
          required={reasonRequired}
          error={reasonError}
        />
      </ConfirmDialog>
    </>
  );
}

function RevisionCard({
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
            {revision.change_reason ? (
              <p className="text-sm">
                <span className="text-fg-muted">Reason:</span> {revision.change_reason}
              </p>
            ) : null}
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
