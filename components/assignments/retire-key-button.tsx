"use client";
// Retires a key: a PUT with status "archived" for what it runs now, so no revision stays active. Asks first.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { paths } from "@/components/paths";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/input";
import { lazyModule } from "@/components/ui/lazy-module";
import type { ApiResult } from "@/lib/browser/api-client/api-fetch";
import type { Assignment } from "@/lib/browser/api-client/types";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { retireBody } from "./draft/assignment-draft";
import { useAssignmentDraft } from "./draft/use-assignment-draft";

// The confirmation (and Radix's dialog, ~13 kB gzip) loads when the person heads for the button or asks to retire,
// not with the editor.
const dialog = lazyModule(() => import("@/components/ui/dialog"));

export function RetireKeyButton({
  scope,
  assignmentKey,
  scopeLabel,
  base,
  onConflict,
}: {
  scope: ScopeKey;
  assignmentKey: string;
  /** "South Australia" or "service svc-001", for the question. */
  scopeLabel: string;
  base: ApiResult<Assignment>;
  onConflict: (message: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const { module: dialogModule, failed } = dialog.useModule(open);
  const ConfirmDialog = dialogModule?.ConfirmDialog;
  const draft = useAssignmentDraft({ scope, reasonId: "retire-reason" });
  const router = useRouter();

  async function retire() {
    if (!draft.reason.check()) return;
    const outcome = await draft.save({ key: assignmentKey, body: retireBody(base.data), base });
    setOpen(false);
    if (outcome.kind !== "failure") {
      toast.success(`Retired ${assignmentKey}: no revision is active any more`);
      router.push(paths.history(scope, assignmentKey));
    } else if (outcome.failure.kind === "conflict" && outcome.failure.status === 412) {
      onConflict(outcome.failure.message);
    } else {
      toast.error(`Could not retire ${assignmentKey}: ${outcome.failure.message}`);
    }
  }

  return (
    <>
      <Button
        variant="secondary"
        className="text-danger"
        onPointerEnter={() => void dialog.preload().catch(() => {})}
        onFocus={() => void dialog.preload().catch(() => {})}
        onClick={() => setOpen(true)}
      >
        Retire this key
      </Button>
      {open && failed ? (
        <FieldError message={`Could not open the confirmation: ${failed.message}`} />
      ) : null}
      {open && ConfirmDialog ? (
        <ConfirmDialog
          open={open}
          onOpenChange={setOpen}
          title={`Retire ${assignmentKey} in ${scopeLabel}?`}
          description={
            <>
              Revision {base.data.revision} ({base.data.model_id}@{base.data.model_version}) stops
              being active and no new jobs start from this key. Its history is kept, and you can
              restore any revision later.
            </>
          }
          confirmLabel="Retire key"
          onConfirm={() => void retire()}
          busy={draft.saving}
        >
          {draft.reason.field}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
