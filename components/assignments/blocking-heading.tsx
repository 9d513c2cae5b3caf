"use client";
import type { BlockingService } from "@/lib/browser/api-client/types";
import { plural } from "@/lib/shared/format-count";

/** "Blocking services (3)", focused when a save is refused, with the count announced as it changes. */
export function BlockingHeading({ blocking }: { blocking: readonly BlockingService[] }) {
  return (
    <>
      <h3 id="blocking-heading" tabIndex={-1} className="text-sm font-semibold">
        Blocking services ({blocking.length})
      </h3>
      <p className="sr-only" role="status" aria-live="polite">
        {blocking.length === 0
          ? "No blocking services"
          : plural(blocking.length, "blocking service")}
      </p>
    </>
  );
}
