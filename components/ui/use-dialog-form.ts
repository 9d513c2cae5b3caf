"use client";
// A form in a dialog: closing the dialog forgets what was typed, and a refused submit puts the server's words on
// the fields they name, the rest in `failure` (for FormActions).
import { useState } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import { applyServerError, type ServerErrorOptions } from "./server-errors";

export function useDialogForm<T extends FieldValues>(
  form: UseFormReturn<T>,
  {
    empty,
    onOpenChange,
    serverErrors,
  }: {
    /** What the form starts from, and goes back to on close. */
    empty: T;
    onOpenChange: (open: boolean) => void;
    serverErrors: ServerErrorOptions<T>;
  },
) {
  const [failure, setFailure] = useState<string | null>(null);

  const close = () => {
    form.reset(empty);
    setFailure(null);
    onOpenChange(false);
  };

  /** The form's onSubmit: validates, then runs `save`; what it throws is shown on the form. */
  const submit = (save: (values: T) => Promise<void>) =>
    form.handleSubmit(async (values) => {
      setFailure(null);
      try {
        await save(values);
      } catch (error) {
        setFailure(applyServerError(error, form.setError, serverErrors));
      }
    });

  /** The Dialog's onOpenChange: Esc and a click outside close it like Cancel. */
  const onDialogOpenChange = (next: boolean) => (next ? onOpenChange(true) : close());

  return { failure, close, submit, onDialogOpenChange };
}
