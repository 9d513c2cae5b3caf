"use client";
// Retires a key: a PUT with status "archived" for what it runs now, so no revision stays active. Asks first.
import { useChangeReason } from "@/components/audit/reason-field";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { paths } from "@/components/paths";
import { Button } from "@/components/ui/button";
import { ApiClientError, type ApiResult } from "@/lib/browser/api-client/api-fetch";
import type { Assignment } from "@/lib/browser/api-client/types";
import { resaveBody, useUpsertAssignment } from "@/lib/browser/queries/assignments";
import type { ScopeKey } from "@/lib/browser/queries/keys";

// The confirmation (and Radix's dialog, ~13 kB gzip) loads when the person asks to retire, not with the editor.
const ConfirmDialog = dynamic(() => import("@/components/ui/dialog").then((m) => m.ConfirmDialog), {
  ssr: false,
});

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
  const upsert = useUpsertAssignment(scope);
  const router = useRouter();
  const changeReason = useChangeReason("retire-reason", useReasonRequired(scope.clientId));

  async function retire() {
    if (!changeReason.check()) return;
    try {
      await upsert.mutateAsync({
        key: assignmentKey,
        ifMatch: base.etag,
        body: resaveBody(base.data, "archived"),
        reason: changeReason.reason,
      });
      setOpen(false);
      toast.success(`Retired ${assignmentKey}: no revision is active any more`);
      router.push(paths.history(scope, assignmentKey));
    } catch (error) {
      setOpen(false);
      if (error instanceof ApiClientError && error.status === 412) onConflict(error.message);
      else toast.error(`Could not retire ${assignmentKey}: ${(error as Error).message}`);
    }
  }

  return (
    <>
      <Button variant="secondary" className="text-danger" onClick={() => setOpen(true)}>
        Retire this key
      </Button>
      {open ? (
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
          busy={upsert.isPending}
        >
          {changeReason.field}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
