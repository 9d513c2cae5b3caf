"use client";
// One clock per tick interval for every component on the page that shows time passing (relative times, countdowns):
// it ticks while any of them is mounted and stops with the last. The server render has no clock (null), so the
// first paint agrees with it.
import { useSyncExternalStore } from "react";

type Clock = { now: number; subscribe: (listener: () => void) => () => void };

const clocks = new Map<number, Clock>();

function clockOf(intervalMs: number): Clock {
  const existing = clocks.get(intervalMs);
  if (existing) return existing;
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | null = null;
  const clock: Clock = {
    now: Date.now(),
    subscribe(listener) {
      listeners.add(listener);
      if (!timer) {
        clock.now = Date.now();
        timer = setInterval(() => {
          clock.now = Date.now();
          for (const l of listeners) l();
        }, intervalMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
  };
  clocks.set(intervalMs, clock);
  return clock;
}

/** The time now in milliseconds, updated every `intervalMs`; null in the server render. */
export function useClock(intervalMs: number): number | null {
  const clock = clockOf(intervalMs);
  return useSyncExternalStore(
    clock.subscribe,
    () => clock.now,
    () => null,
  );
}
