"use client";
// A moment as people read it: absolute ("28 Nov 2025, 17:42", in the viewer's locale) or relative ("5 minutes
// ago"), always in <time dateTime> with the exact ISO value in the tooltip.
import { useClock } from "./use-clock";

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** The absolute form; a value that is not a date is shown as it is. */
function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : absolute.format(date);
}

const MINUTE = 60_000;
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 60 * MINUTE],
  ["month", 30 * 24 * 60 * MINUTE],
  ["week", 7 * 24 * 60 * MINUTE],
  ["day", 24 * 60 * MINUTE],
  ["hour", 60 * MINUTE],
  ["minute", MINUTE],
];

function formatRelative(iso: string, reference: number): string {
  const diff = Date.parse(iso) - reference;
  if (Math.abs(diff) < MINUTE) return "just now";
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return relative.format(Math.round(diff / size), unit);
  }
  return "just now";
}

export function DateTime({ value, className }: { value: string; className?: string }) {
  return (
    <time dateTime={value} title={value} className={className}>
      {formatDateTime(value)}
    </time>
  );
}

/** A moment, or `none` in muted text when there is none (never used, not yet). */
export function DateTimeOr({ value, none }: { value: string | null; none: string }) {
  return value ? <DateTime value={value} /> : <span className="text-fg-muted">{none}</span>;
}

/** `<time>` with a relative label; the server render shows the absolute date (no clock there to agree with). */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const reference = useClock(30_000);
  return (
    <time dateTime={iso} title={`${formatDateTime(iso)} (${iso})`} className={className}>
      {reference === null ? formatDateTime(iso) : formatRelative(iso, reference)}
    </time>
  );
}
