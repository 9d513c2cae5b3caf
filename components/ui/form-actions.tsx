// The end of a form: why the last submit failed (in the server's words), then Cancel and the submit button.
import { Button } from "./button";
import { cn } from "./cn";
import { Notice } from "./notice";

export function FormActions({
  failure,
  failureTitle,
  submitLabel,
  busy,
  onCancel,
  className,
}: {
  failure: string | null;
  /** What did not happen, e.g. "The person was not added". */
  failureTitle: string;
  submitLabel: string;
  busy: boolean;
  onCancel: () => void;
  /** For the row of buttons. */
  className?: string;
}) {
  return (
    <>
      {failure ? (
        <Notice tone="danger" role="alert" title={failureTitle}>
          {failure}
        </Notice>
      ) : null}
      <div className={cn("flex justify-end gap-2", className)}>
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </>
  );
}
