// A message panel in the page's flow: a failed save, a conflict, a note. `role="alert"` only for what just went wrong.
import type { ReactNode } from "react";
import { cn } from "./cn";

type Tone = "danger" | "warn" | "ok" | "info";
const tones: Record<Tone, string> = {
  danger: "border-danger/40 bg-danger-bg",
  warn: "border-warn/40 bg-warn-bg",
  ok: "border-ok/40 bg-ok-bg",
  info: "border-border bg-muted",
};
const titles: Record<Tone, string> = {
  danger: "text-danger",
  warn: "text-warn",
  ok: "text-ok",
  info: "text-fg",
};

export function Alert({
  tone = "info",
  title,
  children,
  actions,
  role,
  className,
  id,
}: {
  tone?: Tone;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  role?: "alert" | "status";
  className?: string;
  id?: string;
}) {
  return (
    <div
      id={id}
      role={role}
      className={cn("rounded-md border p-3 text-sm", tones[tone], className)}
    >
      <p className={cn("font-semibold", titles[tone])}>{title}</p>
      {children ? <div className="mt-1 text-fg">{children}</div> : null}
      {actions ? <div className="mt-3 flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
