// One form control with its label, hint and error. The ids are wired here, once: the label names the control and
// aria-describedby reads the hint and the error with it.
import type { ReactNode } from "react";
import { cn } from "./cn";
import { FieldError, Label } from "./input";

/** What the control spreads to be tied to its label, hint and error. */
type FieldControlProps = {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
};

export function FormField({
  id,
  label,
  hint,
  error,
  describedBy,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  /** Shown under the control, as `${id}-hint`. */
  hint?: ReactNode;
  /** Shown under the hint, as `${id}-error`; the control is marked invalid while there is one. */
  error?: string | null;
  /** Ids of other elements that describe the control, read after the hint and the error. */
  describedBy?: string | null;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const descriptions = [hint ? hintId : null, error ? errorId : null, describedBy].filter(Boolean);
  return (
    <div className={cn("space-y-1", className)}>
      <Label htmlFor={id}>{label}</Label>
      {children({
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": descriptions.length > 0 ? descriptions.join(" ") : undefined,
      })}
      {hint ? (
        <p id={hintId} className="text-xs text-fg-muted">
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </div>
  );
}
