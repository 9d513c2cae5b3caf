"use client";
// A key's revisions, newest first: who changed what and when, what differs from the revision before, and
// "Restore": a normal upsert of an old revision's content, guarded by If-Match, so every check applies again.
import Link from "next/link";
import { paths } from "@/components/paths";
import { Alert } from "@/components/ui/alert";
import { ButtonLink } from "@/components/ui/button-link";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import type { Assignment } from "@/lib/browser/api-client/types";
import { useAssignment, useRevisions } from "@/lib/browser/queries/assignments";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { useMe } from "@/lib/browser/queries/me";
import { RevisionCard } from "./history/revision-card";
import { useRestoreRevision } from "./history/use-restore-revision";
import { ModelVersion } from "./model-version";
import { useKeyPage, type KeyPage } from "./use-scope-crumbs";

type Props = {
  clientId: string;
  domainId: string;
  serviceId: string | null;
  assignmentKey: string;
};

export function RevisionHistory({ clientId, domainId, serviceId, assignmentKey }: Props) {
  const { page } = useKeyPage(clientId, domainId, serviceId, [
    {
      label: assignmentKey,
      href: serviceId ? undefined : paths.editor(clientId, domainId, assignmentKey),
    },
    { label: "History" },
  ]);
  const { scope, domainName } = page;
  const me = useMe();
  const revisions = useRevisions(scope, assignmentKey);
  const current = useAssignment(scope, assignmentKey);
  const restoring = useRestoreRevision({
    scope,
    assignmentKey,
    base: current.data,
    onConflict: () => {
      void current.refetch();
      void revisions.refetch();
    },
  });

  const canWrite = me.data?.can.write_assignments ?? false;
  const items = revisions.data?.items ?? [];
  const active = current.data?.data ?? null;

  const header = <HistoryHeader page={page} assignmentKey={assignmentKey} canWrite={canWrite} />;

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

  const { confirming } = restoring;
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
            const isActive = revision.status === "active";
            return (
              <li key={revision.assignment_id}>
                <RevisionCard
                  revision={revision}
                  previous={items[index + 1] ?? null}
                  isActive={isActive}
                  canRestore={canWrite && !isActive}
                  auditHref={me.data?.can.admin ? paths.revisionAudit(revision) : null}
                  busy={restoring.busy && confirming?.assignment_id === revision.assignment_id}
                  onRestore={() => restoring.ask(revision)}
                  problem={restoring.problemOf(revision)}
                  {...fixLink(scope, assignmentKey, revision)}
                />
              </li>
            );
          })}
        </ol>
      </div>
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => (open ? null : restoring.cancel())}
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
        onConfirm={() => confirming && void restoring.restore(confirming)}
        busy={restoring.busy}
      >
        {restoring.reasonField}
      </ConfirmDialog>
    </>
  );
}

/** Where a refused restore sends the person to fill in what the blocking services lack. */
function fixLink(scope: ScopeKey, assignmentKey: string, revision: Assignment) {
  const { clientId, domainId, serviceId } = scope;
  return serviceId
    ? {
        fixHref: paths.service(clientId, domainId, serviceId),
        fixLabel: "Open the service to fix its features",
      }
    : {
        fixHref: paths.editor(clientId, domainId, assignmentKey, revision.assignment_id),
        fixLabel: `Open revision ${revision.revision} in the editor to fill them in`,
      };
}

function HistoryHeader({
  page: { scope, crumbs, domainName },
  assignmentKey,
  canWrite,
}: {
  page: KeyPage;
  assignmentKey: string;
  canWrite: boolean;
}) {
  const { clientId, domainId, serviceId } = scope;
  return (
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
}
