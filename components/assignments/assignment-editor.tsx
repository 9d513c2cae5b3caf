"use client";
// The domain default editor's page: loads who the person is, the key's active revision and (for History's "open
// in editor") the revision to start from, then shows the form (editor/editor-form.tsx) or, for a person who
// can't change the key, what it runs.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { assignmentQuery } from "@/lib/browser/queries/assignments";
import { useAssignmentById } from "@/lib/browser/queries/assignment-create";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { useMe } from "@/lib/browser/queries/me";
import { useDomain } from "@/lib/browser/queries/tenancy";
import { EditorForm } from "./editor/editor-form";
import { EditorHeader } from "./editor/editor-header";
import { ReadOnlyKey } from "./editor/read-only-key";
import { useScopeCrumbs } from "./use-scope-crumbs";

type Props = {
  clientId: string;
  domainId: string;
  /** null on the "new assignment" page, where the person types the key. */
  assignmentKey: string | null;
  /** An assignment_id whose values the form starts from (History's "open in editor"). */
  restoreFrom?: string | null;
};

export function AssignmentEditor({ clientId, domainId, assignmentKey, restoreFrom }: Props) {
  const scope = useMemo<ScopeKey>(
    () => ({ clientId, domainId, serviceId: null }),
    [clientId, domainId],
  );
  const creating = assignmentKey === null;
  const me = useMe();
  const current = useQuery({ ...assignmentQuery(scope, assignmentKey ?? ""), enabled: !creating });
  const startRevision = useAssignmentById(restoreFrom);
  const crumbs = useScopeCrumbs(scope, [
    { label: creating ? "New assignment key" : assignmentKey },
  ]);
  const domain = useDomain(clientId, domainId);
  const domainName = domain.data?.name ?? domainId;

  const header = (
    <EditorHeader
      crumbs={crumbs}
      scope={scope}
      assignmentKey={assignmentKey}
      domainName={domainName}
    />
  );

  const pending =
    me.isPending || (!creating && current.isPending) || (!!restoreFrom && startRevision.isPending);
  if (pending) {
    return (
      <>
        {header}
        <LoadingState label="Loading the assignment…" />
      </>
    );
  }
  // A missing key is a 404 the editor treats as "no active revision"; a missing domain must not look like one.
  const failure =
    me.error ??
    domain.error ??
    (!creating ? current.error : null) ??
    (restoreFrom ? startRevision.error : null);
  if (failure || !me.data) {
    return (
      <>
        {header}
        <ErrorState
          error={failure}
          onRetry={() => {
            void me.refetch();
            void domain.refetch();
            void current.refetch();
            if (restoreFrom) void startRevision.refetch();
          }}
        />
      </>
    );
  }

  const active = creating ? null : (current.data ?? null);
  const inactive = domain.data?.status === "inactive";
  if (!me.data.can.write_assignments || inactive) {
    return (
      <>
        {header}
        <ReadOnlyKey
          active={active?.data ?? null}
          assignmentKey={assignmentKey}
          domainName={domainName}
          reason={inactive ? "inactive" : "role"}
        />
      </>
    );
  }

  return (
    <EditorForm
      key={`${assignmentKey ?? "new"}:${restoreFrom ?? ""}`}
      scope={scope}
      fixedKey={assignmentKey}
      domainName={domainName}
      crumbs={crumbs}
      initialBase={active}
      startFrom={startRevision.data ?? active?.data ?? null}
    />
  );
}
