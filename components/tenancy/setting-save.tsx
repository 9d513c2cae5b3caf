"use client";
// The foot of a client setting card: once the setting changed, the reason field and Save; the server's refusal below.
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";

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
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
    </>
  );
}
