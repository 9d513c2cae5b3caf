"use client";
// A secret the server answers once (a generated password, a new API token): shown read-only with a copy button
// and a warning that it can't be shown again.
import { useId, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { Label, Textarea } from "./input";
import { Notice } from "./notice";

async function copyText(text: string, fallback: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection-based copy
  }
  // Plain-http deployments have no Clipboard API: select the text and use the legacy copy command.
  if (!fallback) return false;
  fallback.focus();
  fallback.select();
  return document.execCommand("copy");
}

type SecretOnceProps = {
  label: string;
  copyLabel: string;
  value: string;
  warning: string;
  rows?: number;
};

function SecretOnce({ label, copyLabel, value, warning, rows = 2 }: SecretOnceProps) {
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  return (
    <div className="space-y-3">
      <Notice tone="warn" title="Shown only this once" role="note">
        {warning}
      </Notice>
      <div className="space-y-1">
        <Label htmlFor={id}>{label}</Label>
        <Textarea
          ref={ref}
          id={id}
          readOnly
          rows={rows}
          value={value}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
          className="resize-none text-xs break-all"
        />
      </div>
      <div className="flex items-center gap-3">
        <Button
          variant="primary"
          onClick={async () => setCopied((await copyText(value, ref.current)) ? "yes" : "failed")}
        >
          {copyLabel}
        </Button>
        <span role="status" aria-live="polite" className="text-sm text-fg-muted">
          {copied === "yes"
            ? "Copied to the clipboard"
            : copied === "failed"
              ? "Could not copy: select the text and copy it yourself"
              : ""}
        </span>
      </div>
    </div>
  );
}

/** The dialog that hands over a secret just created: open while `value` is set; Done or Esc calls `onDone`. */
export function SecretOnceDialog({
  value,
  onDone,
  title,
  description,
  ...secret
}: Omit<SecretOnceProps, "value"> & {
  value: string | null;
  onDone: () => void;
  title: string;
  description?: ReactNode;
}) {
  return (
    <Dialog
      open={value !== null}
      onOpenChange={(open) => {
        if (!open) onDone();
      }}
      title={title}
      description={description}
    >
      {value !== null ? (
        <div className="space-y-4">
          <SecretOnce {...secret} value={value} />
          <div className="flex justify-end">
            <Button onClick={onDone}>Done</Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
