"use client";
// Save: checks what the person typed, then one PUT guarded by If-Match (or a POST when the key has no active
// revision) with the service updates; a 412/409 is a conflict, a 422 with blocking services a refusal to show
// next to them, any other 422 goes to the fields it names.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { paths } from "@/components/paths";
import type { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import type { AssignmentPutBody } from "@/lib/browser/api-client/types";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import {
  draftBody,
  type DraftBase,
  type DraftFailure,
  type ServiceUpdates,
} from "../draft/assignment-draft";
import type { useAssignmentDraft } from "../draft/use-assignment-draft";
import { fixInputId, type ServiceFix } from "../service-repairs";
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
  draft,
  form,
  base,
  fixes,
  updates,
  pins = [],
  onSubmitting,
  onConflict,
  onBlocked,
  review,
}: {
  scope: ScopeKey;
  /** The editor's draft (its reason, preview and write). */
  draft: ReturnType<typeof useAssignmentDraft>;
  /** Where the domain requires approvals: Save opens a change request with this title instead of writing. */
  review?: { title: string; description: string; applyAt: string } | null;
  form: EditorFormApi;
  /** The revision the person started from; null when the key has none (the save creates it). */
  base: DraftBase | null;
  fixes: ServiceFix[];
  updates: ServiceUpdates;
  /** Services kept on the version they run now (pin_services; domain default only). */
  pins?: readonly string[];
  /** A new attempt starts: what the last one was refused for no longer applies. */
  onSubmitting: () => void;
  onConflict: (conflict: Conflict) => void;
  /** The server refused the save (422) because of these services. */
  onBlocked: (body: AssignmentPutBody, error: ApiClientError) => void;
}) {
  const router = useRouter();
  const [saveError, setSaveError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);

  function showFailure(failure: DraftFailure, body: AssignmentPutBody) {
    if (failure.kind === "failed") {
      setSaveError(failure.message);
      return;
    }
    if (failure.kind === "conflict") {
      onConflict({ kind: failure.conflict, message: failure.message });
      return;
    }
    if (failure.kind === "blocked") {
      onBlocked(body, failure.error);
      document.getElementById("blocking-heading")?.focus();
      return;
    }
    let placed = false;
    for (const issue of failure.issues) {
      const field = FORM_FIELDS.find((f) => f === issue.path);
      if (field) {
        form.setError(field, { message: issue.message });
        placed = true;
      }
    }
    if (failure.status === 422 && /model|version/i.test(failure.message)) {
      form.setError("model_version", { message: failure.message });
      placed = true;
    }
    if (!placed || failure.issues.length === 0) setSaveError(failure.message);
  }

  const onSubmit = form.handleSubmit(
    async (values) => {
      setSubmitted(true);
      setSaveError(null);
      onSubmitting();
      const invalidField = fixes
        .filter((f) => !pins.includes(f.serviceId))
        .flatMap((f) =>
          f.fields
            .filter((field) => field.error)
            .map((field) => fixInputId(f.serviceId, field.key)),
        )[0];
      if (invalidField) {
        setSaveError(
          "Some feature values you typed are not valid for this version; correct the highlighted fields.",
        );
        document.getElementById(invalidField)?.focus();
        return;
      }
      if (!draft.reason.check()) return;
      const saveKey = values.assignment_key.trim();
      const body = draftBody({
        content: {
          model_id: values.model_id,
          model_version: values.model_version,
          role: values.role,
          settings: values.settings,
          metadata: values.metadata,
        },
        status: "active",
        updates,
        pins,
      });
      if (review) {
        const requested = await draft.requestReview({
          key: saveKey,
          body,
          base,
          title:
            review.title.trim() ||
            `${saveKey}: ${values.model_id}@${values.model_version} in ${scope.domainId}`,
          description: review.description.trim() || undefined,
          applyAt: review.applyAt ? new Date(review.applyAt).toISOString() : null,
        });
        if (requested.kind === "failure") {
          showFailure(requested.failure, body);
          return;
        }
        toast.success(`Opened change request #${requested.request.number}: it awaits review`);
        router.push(paths.changeRequest(scope.clientId, requested.request.id));
        return;
      }
      const outcome = await draft.save({ key: saveKey, body, base });
      if (outcome.kind === "failure") {
        showFailure(outcome.failure, body);
        return;
      }
      const row = outcome.row;
      if (outcome.kind === "unchanged") {
        toast.info(`Nothing to save: revision ${row.revision} already runs exactly this.`);
        return;
      }
      const extra =
        (updates.length
          ? ` and ${updates.length} service ${updates.length === 1 ? "update" : "updates"}`
          : "") +
        (pins.length
          ? `; ${pins.length} ${pins.length === 1 ? "service stays" : "services stay"} on the version ${pins.length === 1 ? "it runs" : "they run"} now`
          : "");
      toast.success(
        `Saved revision ${row.revision} of ${saveKey}: ${row.model_id}@${row.model_version}${extra}`,
      );
      router.push(paths.history(scope, saveKey));
    },
    () => setSubmitted(true),
  );

  return {
    onSubmit,
    saving: draft.saving,
    saveError,
    /** Save was pressed at least once: show every problem, touched or not. */
    submitted,
    /** The reason's field, to render before the save bar. */
    reasonField: draft.reason.field,
  };
}
