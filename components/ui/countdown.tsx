"use client";
// A live countdown to a moment ("in 2 h 05 min 09 s"), ticking each second while mounted; "due now" once it has
// passed. `onDue` runs once when it reaches zero (e.g. to read again what happened at that time).
import { useEffect, useRef } from "react";
import { useClock } from "./use-clock";

const pad = (n: number) => String(n).padStart(2, "0");

/** `3 d 04 h`, `2 h 05 min 09 s`, `5 min 09 s`, `42 s`. */
export function formatRemaining(ms: number): string {
  const s = Math.ceil(ms / 1000);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) return `${days} d ${pad(hours)} h`;
  if (hours > 0) return `${hours} h ${pad(minutes)} min ${pad(seconds)} s`;
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`;
  return `${seconds} s`;
}

export function Countdown({
  to,
  onDue,
  className,
}: {
  to: string;
  onDue?: () => void;
  className?: string;
}) {
  const reference = useClock(1_000);
  const remaining = reference === null ? null : Date.parse(to) - reference;
  const fired = useRef(false);
  useEffect(() => {
    if (remaining !== null && remaining <= 0 && !fired.current) {
      fired.current = true;
      onDue?.();
    }
  }, [remaining, onDue]);
  return (
    <span className={className} role="timer" aria-live="off" data-testid="countdown">
      {remaining === null ? "" : remaining > 0 ? `in ${formatRemaining(remaining)}` : "due now"}
    </span>
  );
}
