"use client";
// "Restore": a normal upsert of an old revision's content, guarded by If-Match (or a POST when the key is retired),
// so every check applies again; what went wrong stays next to the revision it was about.
import { useState } from "react";
import { toast } from "sonner";
import type { ApiResult } from "@/lib/browser/api-client/api-fetch";
import type { Assignment, BlockingService } from "@/lib/browser/api-client/types";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { baseFromResult, restoreBody } from "../draft/assignment-draft";
import { useAssignmentDraft } from "../draft/use-assignment-draft";

export type RestoreProblem =
  | { kind: "blocked"; revision: Assignment; message: string; blocking: BlockingService[] }
  | { kind: "conflict" | "failed"; revision: Assignment; message: string };

export function useRestoreRevision({
  scope,
  assignmentKey,
  base,
  onConflict,
}: {
  scope: ScopeKey;
  assignmentKey: string;
  /** The key's active revision with its ETag (for If-Match); null when it has none (retired). */
  base: ApiResult<Assignment> | null | undefined;
  /** Someone else changed the key meanwhile: reload what is shown. */
  onConflict: () => void;
}) {
  const draft = useAssignmentDraft({ scope, reasonId: "restore-reason" });
  /** The revision whose restore is being confirmed. */
  const [confirming, setConfirming] = useState<Assignment | null>(null);
  const [problem, setProblem] = useState<RestoreProblem | null>(null);

  async function restore(revision: Assignment) {
    setProblem(null);
    if (!draft.reason.check()) return;
    const outcome = await draft.save({
      key: assignmentKey,
      body: restoreBody(revision),
      base: baseFromResult(base),
    });
    setConfirming(null);
    if (outcome.kind === "failure") {
      const { failure } = outcome;
      if (failure.kind === "blocked") {
        setProblem({
          kind: "blocked",
          revision,
          message: failure.message,
          blocking: failure.blocking,
        });
      } else if (failure.kind === "conflict") {
        setProblem({ kind: "conflict", revision, message: failure.message });
        onConflict();
      } else {
        setProblem({ kind: "failed", revision, message: failure.message });
      }
      return;
    }
    draft.reason.reset();
    if (outcome.kind === "unchanged") {
      toast.info(
        `Nothing to restore: revision ${outcome.row.revision} already runs exactly what revision ${revision.revision} did.`,
      );
      return;
    }
    toast.success(
      `Restored revision ${revision.revision} as revision ${outcome.row.revision} (${outcome.row.model_id}@${outcome.row.model_version})`,
    );
  }

  return {
    confirming,
    ask: (revision: Assignment) => setConfirming(revision),
    cancel: () => setConfirming(null),
    restore,
    busy: draft.saving,
    /** The problem of the last restore, shown on the revision it was about. */
    problemOf: (revision: Assignment) =>
      problem?.revision.assignment_id === revision.assignment_id ? problem : null,
    /** The reason's field, for the confirmation. */
    reasonField: draft.reason.field,
  };
}
