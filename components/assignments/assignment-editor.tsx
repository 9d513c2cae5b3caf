"use client";
// The domain default editor's page: loads who the person is, the key's active revision and (for History's "open
// in editor") the revision to start from, then shows the form (editor/editor-form.tsx) or, for a person who
// can't change the key, what it runs.
import { useQuery } from "@tanstack/react-query";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { assignmentQuery } from "@/lib/browser/queries/assignments";
import { useAssignmentById } from "@/lib/browser/queries/assignment-create";
import { useMe } from "@/lib/browser/queries/me";
import { EditorForm } from "./editor/editor-form";
import { EditorHeader } from "./editor/editor-header";
import { ReadOnlyKey } from "./editor/read-only-key";
import { useKeyPage } from "./use-scope-crumbs";

type Props = {
  clientId: string;
  domainId: string;
  /** null on the "new assignment" page, where the person types the key. */
  assignmentKey: string | null;
  /** An assignment_id whose values the form starts from (History's "open in editor"). */
  restoreFrom?: string | null;
};

export function AssignmentEditor({ clientId, domainId, assignmentKey, restoreFrom }: Props) {
  const creating = assignmentKey === null;
  const { page, domain } = useKeyPage(clientId, domainId, null, [
    { label: creating ? "New assignment key" : assignmentKey },
  ]);
  const me = useMe();
  const current = useQuery({
    ...assignmentQuery(page.scope, assignmentKey ?? ""),
    enabled: !creating,
  });
  const startRevision = useAssignmentById(restoreFrom);
  const header = <EditorHeader page={page} assignmentKey={assignmentKey} />;

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
          domainName={page.domainName}
          reason={inactive ? "inactive" : "role"}
        />
      </>
    );
  }

  return (
    <EditorForm
      key={`${assignmentKey ?? "new"}:${restoreFrom ?? ""}`}
      page={page}
      fixedKey={assignmentKey}
      initialBase={active}
      startFrom={startRevision.data ?? active?.data ?? null}
    />
  );
}
