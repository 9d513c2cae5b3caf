"use client";
// The foot of a client setting card: once the setting changed, the reason field and Save; the server's refusal below.
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import type { useChangeReason } from "@/components/audit/reason-field";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/input";
import type { Client, ClientPatchBody } from "@/lib/browser/api-client/types";
import { usePatchClient } from "@/lib/browser/queries/tenancy";

/**
 * Saves one client setting with the reason typed: checks the reason, PATCHes, confirms with `saidOf(saved)`, or keeps
 * the server's refusal to show.
 */
export function useSaveClientSetting(
  clientId: string,
  changeReason: ReturnType<typeof useChangeReason>,
  saidOf: (saved: Client) => string,
) {
  const patch = usePatchClient(clientId);
  const [error, setError] = useState<string | null>(null);
  const save = async (body: ClientPatchBody) => {
    setError(null);
    if (!changeReason.check()) return;
    try {
      const saved = await patch.mutateAsync({ patch: body, reason: changeReason.reason });
      changeReason.reset();
      toast.success(saidOf(saved));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return { save, error, busy: patch.isPending };
}

export function SettingSave({
  changed,
  reasonField,
  onSave,
  busy,
  error,
}: {
  changed: boolean;
  reasonField: ReactNode;
  onSave: () => void;
  busy: boolean;
  error: string | null;
}) {
  return (
    <>
      {changed ? (
        <div className="max-w-xl space-y-3">
          {reasonField}
          <Button variant="primary" size="sm" onClick={onSave} busy={busy}>
            Save
          </Button>
        </div>
      ) : null}
      <FieldError message={error} />
    </>
  );
}
