"use client";
// Save: checks what the person typed, then one PUT guarded by If-Match (or a POST when the key has no active
// revision) with the service updates; a 412/409 is a conflict, a 422 with blocking services a refusal to show
// next to them, any other 422 goes to the fields it names.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { reasonProblem } from "@/components/audit/reason-field";
import { paths } from "@/components/paths";
import { ApiClientError, type ApiResult } from "@/lib/browser/api-client/api-fetch";
import type { Assignment, AssignmentPutBody } from "@/lib/browser/api-client/types";
import { useCreateAssignment } from "@/lib/browser/queries/assignment-create";
import { useUpsertAssignment } from "@/lib/browser/queries/assignments";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { fixInputId } from "../service-fixer";
import type { ServiceFix } from "../service-repairs";
import type { EditorFormApi } from "./form";
import type { Conflict } from "./use-conflict-reload";

const FORM_FIELDS = [
  "model_id",
  "model_version",
  "role",
  "settings",
  "metadata",
  "assignment_key",
] as const;

export function useSaveAssignment({
  scope,
  form,
  base,
  fixes,
  updates,
  onSubmitting,
  onConflict,
  onBlocked,
}: {
  scope: ScopeKey;
  form: EditorFormApi;
  /** The revision the person started from; null when the key has none (the save creates it). */
  base: ApiResult<Assignment> | null;
  fixes: ServiceFix[];
  updates: NonNullable<AssignmentPutBody["service_updates"]>;
  /** A new attempt starts: what the last one was refused for no longer applies. */
  onSubmitting: () => void;
  onConflict: (conflict: Conflict) => void;
  /** The server refused the save (422) because of these services. */
  onBlocked: (body: AssignmentPutBody, error: ApiClientError) => void;
}) {
  const router = useRouter();
  const upsert = useUpsertAssignment(scope);
  const create = useCreateAssignment(scope);
  const reasonRequired = useReasonRequired(scope.clientId);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);

  function handleSaveError(error: unknown, body: AssignmentPutBody) {
    if (!(error instanceof ApiClientError)) {
      setSaveError((error as Error).message);
      return;
    }
    if (error.status === 412 || error.status === 409) {
      onConflict({ kind: error.status === 412 ? "changed" : "created", message: error.message });
      return;
    }
    if (error.status === 422 && error.blockingServices.length > 0) {
      onBlocked(body, error);
      document.getElementById("blocking-heading")?.focus();
      return;
    }
    let placed = false;
    for (const issue of error.issues) {
      const field = FORM_FIELDS.find((f) => f === issue.path);
      if (field) {
        form.setError(field, { message: issue.message });
        placed = true;
      }
    }
    if (error.status === 422 && /model|version/i.test(error.message)) {
      form.setError("model_version", { message: error.message });
      placed = true;
    }
    if (!placed || error.issues.length === 0) setSaveError(error.message);
  }

  const onSubmit = form.handleSubmit(
    async (values) => {
      setSubmitted(true);
      setSaveError(null);
      onSubmitting();
      const invalidField = fixes.flatMap((f) =>
        f.fields.filter((field) => field.error).map((field) => fixInputId(f.serviceId, field.key)),
      )[0];
      if (invalidField) {
        setSaveError(
          "Some feature values you typed are not valid for this version; correct the highlighted fields.",
        );
        document.getElementById(invalidField)?.focus();
        return;
      }
      const badReason = reasonProblem(reason, reasonRequired);
      setReasonError(badReason);
      if (badReason) {
        document.getElementById("change-reason")?.focus();
        return;
      }
      const saveKey = values.assignment_key.trim();
      const body: AssignmentPutBody = {
        model_id: values.model_id,
        model_version: values.model_version,
        status: "active",
        role: values.role,
        settings: values.settings,
        metadata: values.metadata,
        ...(updates.length ? { service_updates: updates } : {}),
      };
      try {
        const result = base
          ? await upsert.mutateAsync({ key: saveKey, body, ifMatch: base.etag, reason })
          : await create.mutateAsync({ key: saveKey, body, reason });
        const row = result.data;
        if (base && row.assignment_id === base.data.assignment_id) {
          toast.info(`Nothing to save: revision ${row.revision} already runs exactly this.`);
          return;
        }
        const extra = updates.length
          ? ` and ${updates.length} service ${updates.length === 1 ? "update" : "updates"}`
          : "";
        toast.success(
          `Saved revision ${row.revision} of ${saveKey}: ${row.model_id}@${row.model_version}${extra}`,
        );
        router.push(paths.history(scope, saveKey));
      } catch (error) {
        handleSaveError(error, body);
      }
    },
    () => setSubmitted(true),
  );

  return {
    onSubmit,
    saving: upsert.isPending || create.isPending,
    saveError,
    /** Save was pressed at least once: show every problem, touched or not. */
    submitted,
    reasonField: {
      value: reason,
      onChange: setReason,
      required: reasonRequired,
      error: reasonError,
    },
  };
}
