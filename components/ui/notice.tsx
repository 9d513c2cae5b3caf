import type { ReactNode } from "react";
import { cn } from "./cn";

type Tone = "info" | "warn" | "danger";
const tones: Record<Tone, string> = {
  info: "border-border bg-muted text-fg",
  warn: "border-warn/40 bg-warn-bg text-fg",
  danger: "border-danger/40 bg-danger-bg text-fg",
};
const titleTones: Record<Tone, string> = {
  info: "text-fg",
  warn: "text-warn",
  danger: "text-danger",
};

/** A callout that explains a state of the page (inactive domain, departed service); the title says it in words, not only colour. */
export function Notice({
  tone = "info",
  title,
  children,
  className,
  role,
}: {
  tone?: Tone;
  title: string;
  children?: ReactNode;
  className?: string;
  role?: "status" | "alert" | "note";
}) {
  return (
    <div
      role={role ?? "note"}
      className={cn("rounded-md border px-4 py-3 text-sm", tones[tone], className)}
    >
      <p className={cn("font-medium", titleTones[tone])}>{title}</p>
      {children ? <div className="mt-1 text-fg">{children}</div> : null}
    </div>
  );
}
