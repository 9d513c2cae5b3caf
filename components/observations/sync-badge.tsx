"use client";
// A service's sync state as a badge, with how long it has been so ("Synced · 3 hours").
import { useSyncExternalStore } from "react";
import { Badge } from "@/components/ui/badge";
import type { SyncState } from "@/lib/features/sync-state";

export const SYNC_LABELS: Record<SyncState, string> = {
  synced: "Synced",
  out_of_sync: "Out of sync",
  contract_mismatch: "Contract mismatch",
  failed: "Failed",
  unknown: "Unknown",
};

const TONES = {
  synced: "ok",
  out_of_sync: "warn",
  contract_mismatch: "danger",
  failed: "danger",
  unknown: "neutral",
} as const;

const UNITS: [string, number][] = [
  ["day", 24 * 3600_000],
  ["hour", 3600_000],
  ["minute", 60_000],
];

/** "3 hours", "1 minute", "under a minute": how long since `iso`. */
export function durationSince(iso: string, now: number): string {
  const ms = Math.max(0, now - Date.parse(iso));
  for (const [unit, size] of UNITS) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"}`;
  }
  return "under a minute";
}

const subscribeMinute = (onChange: () => void) => {
  const timer = setInterval(onChange, 30_000);
  return () => clearInterval(timer);
};
const minuteNow = () => Math.floor(Date.now() / 30_000) * 30_000;

export function SyncBadge({ sync, since }: { sync: SyncState; since: string | null }) {
  // null on the server: "how long" is shown only where there is a clock to agree with.
  const now = useSyncExternalStore(subscribeMinute, minuteNow, () => null);
  return (
    <Badge tone={TONES[sync]} className="gap-1">
      <span>{SYNC_LABELS[sync]}</span>
      {since && now !== null ? (
        <span className="font-normal" title={since}>
          · {durationSince(since, now)}
        </span>
      ) : null}
    </Badge>
  );
}
