import type { ReactNode } from "react";
import { cn } from "./cn";

type Tone = "neutral" | "ok" | "danger" | "warn" | "accent";
const tones: Record<Tone, string> = {
  neutral: "bg-muted text-fg-muted",
  ok: "bg-ok-bg text-ok",
  danger: "bg-danger-bg text-danger",
  warn: "bg-warn-bg text-warn",
  accent: "bg-muted text-accent",
};

export function Badge({
  tone = "neutral",
  children,
  className,
}: {
  tone?: Tone;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium",
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}
