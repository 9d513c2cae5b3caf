import {
  forwardRef,
  type InputHTMLAttributes,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { cn } from "./cn";

const field =
  "w-full rounded-md border border-border bg-surface px-2.5 text-sm text-fg placeholder:text-fg-muted disabled:opacity-60 aria-[invalid=true]:border-danger";

export const Input = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(
  function Input({ className, ...props }, ref) {
    return <input ref={ref} className={cn(field, "h-9", className)} {...props} />;
  },
);

/** An input for an identifier (model id, version, feature key): monospace, no autocomplete or spell check. */
export const IdInput = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement>>(
  function IdInput({ className, ...props }, ref) {
    return (
      <Input
        ref={ref}
        autoComplete="off"
        spellCheck={false}
        className={cn("font-mono", className)}
        {...props}
      />
    );
  },
);

export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(
  function Select({ className, ...props }, ref) {
    return <select ref={ref} className={cn(field, "h-9 pr-8", className)} {...props} />;
  },
);

export const Textarea = forwardRef<
  HTMLTextAreaElement,
  TextareaHTMLAttributes<HTMLTextAreaElement>
>(function Textarea({ className, ...props }, ref) {
  return <textarea ref={ref} className={cn(field, "py-2 font-mono", className)} {...props} />;
});

export function Label({
  htmlFor,
  children,
  className,
}: {
  htmlFor: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <label htmlFor={htmlFor} className={cn("text-sm font-medium text-fg", className)}>
      {children}
    </label>
  );
}

/** A field's or an action's error, in the server's or the validator's words (tied to an input by id, if any). */
export function FieldError({ id, message }: { id?: string; message?: string | null }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="text-sm text-danger">
      {message}
    </p>
  );
}
