"use client";
// A moment as people read it ("5 minutes ago"), with the exact ISO time in the element and its tooltip.
import { useSyncExternalStore } from "react";

const MINUTE = 60_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 30_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 60 * MINUTE],
  ["month", 30 * 24 * 60 * MINUTE],
  ["week", 7 * 24 * 60 * MINUTE],
  ["day", 24 * 60 * MINUTE],
  ["hour", 60 * MINUTE],
  ["minute", MINUTE],
];
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const absolute = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export function formatRelative(iso: string, reference: number): string {
  const diff = Date.parse(iso) - reference;
  if (Math.abs(diff) < MINUTE) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return relative.format(Math.round(diff / size), unit);
  }
  return "just now";
}

export function formatAbsolute(iso: string): string {
  return absolute.format(new Date(iso));
}

/** `<time>` with a relative label; the server render shows the absolute date (no clock there to agree with). */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const reference = useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
  return (
    <time dateTime={iso} title={`${formatAbsolute(iso)} (${iso})`} className={className}>
      {reference === null ? formatAbsolute(iso) : formatRelative(iso, reference)}
    </time>
  );
}
