"use client";
// "Restore": a normal upsert of an old revision's content, guarded by If-Match (or a POST when the key is retired),
// so every check applies again; what went wrong stays next to the revision it was about.
import { useState } from "react";
import { toast } from "sonner";
import { reasonProblem } from "@/components/audit/reason-field";
import { ApiClientError, type ApiResult } from "@/lib/browser/api-client/api-fetch";
import type { Assignment, BlockingService } from "@/lib/browser/api-client/types";
import { useCreateAssignment } from "@/lib/browser/queries/assignment-create";
import { resaveBody, useUpsertAssignment } from "@/lib/browser/queries/assignments";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";

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
  const upsert = useUpsertAssignment(scope);
  const create = useCreateAssignment(scope);
  const reasonRequired = useReasonRequired(scope.clientId);
  /** The revision whose restore is being confirmed. */
  const [confirming, setConfirming] = useState<Assignment | null>(null);
  const [problem, setProblem] = useState<RestoreProblem | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);

  async function restore(revision: Assignment) {
    setProblem(null);
    const badReason = reasonProblem(reason, reasonRequired);
    setReasonError(badReason);
    if (badReason) return;
    // The marker makes the new revision say "restored from revision N" in history.
    const body = { ...resaveBody(revision, "active"), restored_from_revision: revision.revision };
    try {
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
        onConflict();
      } else {
        setProblem({ kind: "failed", revision, message });
      }
    }
  }

  return {
    confirming,
    ask: (revision: Assignment) => setConfirming(revision),
    cancel: () => setConfirming(null),
    restore,
    busy: upsert.isPending || create.isPending,
    /** The problem of the last restore, shown on the revision it was about. */
    problemOf: (revision: Assignment) =>
      problem?.revision.assignment_id === revision.assignment_id ? problem : null,
    reasonField: {
      value: reason,
      onChange: setReason,
      required: reasonRequired,
      error: reasonError,
    },
  };
}
