"use client";
// The sticky bar under the form: Save (or Create), Cancel, and one line saying what pressing Save will do.
import type { RefObject } from "react";
import { Button } from "@/components/ui/button";
import { ButtonLink } from "@/components/ui/button-link";
import type { ApiResult } from "@/lib/browser/api-client/api-fetch";
import type { Assignment } from "@/lib/browser/api-client/types";

export function SaveBar({
  saveRef,
  creating,
  saving,
  cancelHref,
  hasTarget,
  hasPreview,
  blockingCount,
  updateCount,
  base,
  conflicted,
  saveError,
  requestReview = false,
}: {
  /** The domain requires approvals: Save opens a change request instead. */
  requestReview?: boolean;
  saveRef: RefObject<HTMLButtonElement | null>;
  creating: boolean;
  saving: boolean;
  cancelHref: string;
  /** A model and a version are picked. */
  hasTarget: boolean;
  /** The preview of the version picked has answered. */
  hasPreview: boolean;
  blockingCount: number;
  updateCount: number;
  base: ApiResult<Assignment> | null;
  conflicted: boolean;
  saveError: string | null;
}) {
  return (
    <div className="sticky bottom-0 z-10 -mx-4 border-t border-border bg-bg/95 px-4 py-3 backdrop-blur">
      <div className="flex flex-wrap items-center gap-3">
        <Button ref={saveRef} type="submit" variant="primary" busy={saving}>
          {requestReview ? "Request review" : creating ? "Create" : "Save"}
        </Button>
        <ButtonLink href={cancelHref} variant="ghost">
          Cancel
        </ButtonLink>
        <p className="text-sm text-fg-muted" aria-live="polite">
          {requestReview && hasTarget && hasPreview
            ? "Opens a change request with this change and its impact; it is written once approved and applied."
            : !hasTarget
              ? "Pick a model and a version."
              : !hasPreview
                ? "Checking which services this change affects…"
                : blockingCount > 0
                  ? `${blockingCount} ${blockingCount === 1 ? "service still blocks" : "services still block"} this change; the server will refuse it until they are fixed.`
                  : updateCount > 0
                    ? `Saves the new revision with ${updateCount} service ${updateCount === 1 ? "update" : "updates"}, in one step.`
                    : base
                      ? `Saves a new revision after ${base.data.revision}, only if nobody changed the key meanwhile.`
                      : "Creates the key's first active revision."}
        </p>
        {hasPreview && blockingCount > 0 ? (
          // The blocking list is usually below the fold: jump to it (and to its first input).
          <Button size="sm" onClick={goToBlocking}>
            Go to the blocking services
          </Button>
        ) : null}
      </div>
      {conflicted ? (
        <p className="mt-2 text-sm text-danger">
          Not saved: someone else changed this key. Reload and reapply, at the top of the form.
        </p>
      ) : null}
      {saveError ? (
        <p role="alert" className="mt-2 text-sm text-danger">
          {saveError}
        </p>
      ) : null}
    </div>
  );
}

function goToBlocking() {
  const heading = document.getElementById("blocking-heading");
  heading?.scrollIntoView({ block: "start" });
  heading?.focus({ preventScroll: true });
}
