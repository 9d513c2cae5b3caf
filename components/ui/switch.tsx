import { forwardRef, type InputHTMLAttributes } from "react";
import { cn } from "./cn";

/** A boolean toggle: a real checkbox with role="switch", so it is labelled, focusable and keyboard-operable. */
export const Switch = forwardRef<
  HTMLInputElement,
  Omit<InputHTMLAttributes<HTMLInputElement>, "type">
>(function Switch({ className, ...props }, ref) {
  return (
    <input
      ref={ref}
      type="checkbox"
      role="switch"
      className={cn(
        "relative h-5 w-9 shrink-0 cursor-pointer appearance-none rounded-full border border-border bg-muted transition",
        "before:absolute before:top-0.5 before:left-0.5 before:size-3.5 before:rounded-full before:bg-fg-muted before:transition",
        "checked:bg-accent checked:before:translate-x-4 checked:before:bg-accent-fg",
        className,
      )}
      {...props}
    />
  );
});
