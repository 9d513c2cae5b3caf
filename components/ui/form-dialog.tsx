"use client";
// A form in a dialog (add a person, create a token, add a webhook, register a model): its fields, the change
// reason, then why the last submit failed and Cancel / the submit button. `controls` is what useDialogForm answers.
import type { FormEventHandler, ReactNode } from "react";
import { Dialog } from "./dialog";
import { FormActions } from "./form-actions";

export function FormDialog({
  open,
  controls,
  title,
  description,
  onSubmit,
  className = "space-y-4",
  reasonField,
  failureTitle,
  submitLabel,
  busy,
  children,
}: {
  open: boolean;
  controls: {
    failure: string | null;
    close: () => void;
    onDialogOpenChange: (open: boolean) => void;
  };
  title: string;
  description: ReactNode;
  onSubmit: FormEventHandler<HTMLFormElement>;
  /** The form's classes. */
  className?: string;
  /** The change reason's field, above the buttons. */
  reasonField: ReactNode;
  /** What did not happen, e.g. "The person was not added". */
  failureTitle: string;
  submitLabel: string;
  busy: boolean;
  /** The fields. */
  children: ReactNode;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={controls.onDialogOpenChange}
      title={title}
      description={description}
    >
      <form onSubmit={onSubmit} noValidate className={className}>
        {children}
        {reasonField}
        <FormActions
          failure={controls.failure}
          failureTitle={failureTitle}
          submitLabel={submitLabel}
          busy={busy}
          onCancel={controls.close}
        />
      </form>
    </Dialog>
  );
}
