"use client";
// The revision the person started from (its ETag goes in If-Match, so a change made meanwhile is refused, not
// overwritten), the conflict when it was, and "Reload and reapply": the person's edits replayed onto the
// revision active now.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import type { ApiResult } from "@/lib/browser/api-client/api-fetch";
import type { Assignment } from "@/lib/browser/api-client/types";
import { assignmentQuery } from "@/lib/browser/queries/assignments";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import {
  formValuesFrom,
  reapplyOnto,
  type AssignmentFormInput,
  type FormGroup,
} from "../assignment-form-schema";
import type { RevisionChange } from "../revision-diff";
import type { EditorFormApi } from "./form";

export type Conflict = { kind: "changed" | "created"; message: string };
export type Reloaded = {
  revision: Assignment | null;
  /** What the other change did, from the revision the person started from to the one active now. */
  changes: RevisionChange[];
  kept: FormGroup[];
  clashes: { group: FormGroup; theirs: string }[];
};

const groupFields = (
  group: FormGroup,
): ("model_id" | "model_version" | "role" | "settings" | "metadata")[] =>
  group === "model" ? ["model_id", "model_version"] : [group];

export function useConflictReload({
  scope,
  assignmentKey,
  form,
  initialBase,
  onReloaded,
}: {
  scope: ScopeKey;
  /** The key as typed (trimmed); empty while there is none. */
  assignmentKey: string;
  form: EditorFormApi;
  initialBase: ApiResult<Assignment> | null;
  onReloaded: () => void;
}) {
  const queryClient = useQueryClient();
  const [base, setBase] = useState<ApiResult<Assignment> | null>(initialBase);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [reloaded, setReloaded] = useState<Reloaded | null>(null);

  function showConflict(next: Conflict) {
    setConflict(next);
    setReloaded(null);
    // The banner is at the top of the form, far from Save: take the person (and the keyboard focus) to it.
    requestAnimationFrame(() => document.getElementById("reload-and-reapply")?.focus());
  }

  async function reloadAndReapply() {
    const key = assignmentKey;
    if (!key) return;
    const before = base?.data ?? null;
    try {
      // The diff is needed only here, after a conflict: it is fetched with the fresh revision.
      const [fresh, { diffRevisions }] = await Promise.all([
        queryClient.fetchQuery({ ...assignmentQuery(scope, key), staleTime: 0 }),
        import("../revision-diff"),
      ]);
      const { assignment_key, ...mine } = form.getValues();
      const start = {
        ...formValuesFrom(null),
        ...(form.formState.defaultValues as Partial<AssignmentFormInput>),
      };
      // With no active revision left there is nothing of theirs to take: everything the person typed stays.
      const theirs = fresh ? formValuesFrom(fresh.data) : start;
      const result = reapplyOnto(start, mine, theirs);
      form.reset({ ...theirs, assignment_key });
      for (const group of [...result.kept, ...result.clashes]) {
        for (const field of groupFields(group))
          form.setValue(field, result.values[field], { shouldDirty: true });
      }
      setBase(fresh);
      setConflict(null);
      setReloaded({
        revision: fresh?.data ?? null,
        changes: before && fresh ? diffRevisions(before, fresh.data) : [],
        kept: result.kept,
        clashes: result.clashes.map((group) => ({
          group,
          theirs:
            groupFields(group)
              .map((f) => theirs[f])
              .join("@") || "(none)",
        })),
      });
      onReloaded();
    } catch (error) {
      toast.error(`Could not reload ${key}: ${(error as Error).message}`);
    }
  }

  return { base, conflict, reloaded, showConflict, reloadAndReapply };
}
