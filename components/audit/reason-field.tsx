"use client";
// The optional "why" of a change, sent as X-Change-Reason and kept on the audit entry (and the revision). A
// client can require one; then the field says so and the form checks it before sending.
import { useState } from "react";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { MAX_REASON_CHARS, reasonLength } from "@/lib/shared/reason-header";

/** The message for a reason that can't be sent as it is, or null. */
export function reasonProblem(reason: string, required: boolean): string | null {
  if (required && reason.trim() === "")
    return "This client requires a reason for every change: say why you are making it.";
  if (/[\u0000-\u001f\u007f-\u009f]/.test(reason.trim()))
    return "Write the reason on one line, without tabs.";
  const length = reasonLength(reason);
  if (length > MAX_REASON_CHARS)
    return `The reason is ${length} characters long; the limit is ${MAX_REASON_CHARS}.`;
  return null;
}

export function ReasonField({
  id,
  value,
  onChange,
  required = false,
  error,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  error?: string | null;
}) {
  const length = reasonLength(value);
  return (
    <FormField
      id={id}
      label={required ? "Reason for this change (required)" : "Reason for this change (optional)"}
      hint={
        <>
          Kept in the audit log{required ? "; this client requires one" : ""}.{" "}
          {length > MAX_REASON_CHARS - 100 ? `${length}/${MAX_REASON_CHARS} characters.` : null}
        </>
      }
      error={error}
    >
      {(field) => (
        <Input
          {...field}
          name="change_reason"
          value={value}
          autoComplete="off"
          required={required}
          placeholder="e.g. Ticket OPS-123: roll out the route-aware model"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </FormField>
  );
}

/**
 * A form's reason: `field` to render before its actions, `check()` before sending (false, with the field
 * marked and focused, when the reason can't be sent), `reason` to send.
 */
export function useChangeReason(id: string, required = false) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const field = (
    <ReasonField id={id} value={reason} onChange={setReason} required={required} error={error} />
  );
  const check = () => {
    const problem = reasonProblem(reason, required);
    setError(problem);
    if (problem) document.getElementById(id)?.focus();
    return problem === null;
  };
  const reset = () => {
    setReason("");
    setError(null);
  };
  return { reason, field, check, reset };
}
