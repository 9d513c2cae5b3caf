"use client";
// One assignment draft: the reason that goes with it, its live preview (the editor's) and the write itself, for
// the editor, the service override, restore, retire and removing an override. A write based on a revision is a PUT guarded by that
// revision's ETag (If-Match); without a base it creates the key (the collection POST, which answers 409 when
// someone else made it active meanwhile) or, for `whenNew: "put"`, PUTs it. The answer comes back as an
// outcome (saved, unchanged, or a failure routed by assignment-draft.ts), never as a thrown error.
import { useChangeReason } from "@/components/audit/reason-field";
import type { Assignment, AssignmentPutBody, ChangeRequest } from "@/lib/browser/api-client/types";
import { useOpenChangeRequest } from "@/lib/browser/queries/change-requests";
import { useCreateAssignment } from "@/lib/browser/queries/assignment-create";
import { useUpsertAssignment } from "@/lib/browser/queries/assignments";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import {
  outcomeOf,
  routeFailure,
  type DraftBase,
  type DraftFailure,
  type DraftOutcome,
} from "./assignment-draft";
import { useDraftPreview, type DraftPreviewInput } from "./use-draft-preview";

/** A draft nobody previews (restore, retire, the override form): the preview query stays idle. */
const NO_PREVIEW: DraftPreviewInput = {
  assignmentKey: null,
  modelId: "",
  version: "",
  updates: [],
  onReport: () => {},
};

export function useAssignmentDraft({
  scope,
  reasonId,
  whenNew = "create",
  preview: previewInput = NO_PREVIEW,
}: {
  scope: ScopeKey;
  /** The id of the reason's input (focused when the reason can't be sent). */
  reasonId: string;
  /** A write without a base: the collection POST (refused when the key became active meanwhile) or a PUT. */
  whenNew?: "create" | "put";
  /** What to preview as it is typed (the domain editor): the key, the target, the fixes and pins so far. */
  preview?: DraftPreviewInput;
}) {
  const upsert = useUpsertAssignment(scope);
  const create = useCreateAssignment(scope);
  const reason = useChangeReason(reasonId, useReasonRequired(scope.clientId));
  const openRequest = useOpenChangeRequest(scope.clientId);
  const preview = useDraftPreview(scope, previewInput);

  /**
   * Sends the draft with the reason typed (the caller has checked it: `reason.check()`), or with `reason` when
   * a confirmation dialog asked for it.
   */
  async function save({
    key,
    body,
    base,
    reason: given,
  }: {
    key: string;
    body: AssignmentPutBody;
    base: DraftBase | null;
    reason?: string;
  }): Promise<DraftOutcome> {
    const sent = given ?? reason.reason;
    try {
      const result: { data: Assignment } =
        base || whenNew === "put"
          ? await upsert.mutateAsync({
              key,
              body,
              ifMatch: base?.etag ?? null,
              reason: sent,
            })
          : await create.mutateAsync({ key, body, reason: sent });
      return outcomeOf(base, result.data);
    } catch (error) {
      return { kind: "failure", failure: routeFailure(error) };
    }
  }

  /**
   * Saves the draft for review instead of applying it (where the domain requires approvals): opens a change
   * request with this one change, based on the draft's base revision.
   */
  async function requestReview({
    key,
    body,
    base,
    title,
    description,
    applyAt,
  }: {
    key: string;
    body: AssignmentPutBody;
    base: DraftBase | null;
    title: string;
    description?: string;
    applyAt?: string | null;
  }): Promise<
    { kind: "requested"; request: ChangeRequest } | { kind: "failure"; failure: DraftFailure }
  > {
    try {
      const request = await openRequest.mutateAsync({
        body: {
          title,
          ...(description ? { description } : {}),
          ...(applyAt ? { apply_at: applyAt } : {}),
          changes: [
            {
              domain_id: scope.domainId,
              ...(scope.serviceId ? { service_id: scope.serviceId } : {}),
              assignment_key: key,
              body,
              ...(base?.etag ? { if_match: base.etag } : {}),
            },
          ],
        },
        reason: reason.reason,
      });
      return { kind: "requested", request };
    } catch (error) {
      return { kind: "failure", failure: routeFailure(error) };
    }
  }

  return {
    save,
    requestReview,
    /** The live dry run of what is typed (idle without a `preview` input). */
    preview,
    saving: upsert.isPending || create.isPending || openRequest.isPending,
    reason,
  };
}
