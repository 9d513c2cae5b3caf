// The server's clock for time-dependent answers (observed state turning stale). Tests move it forward instead of
// sleeping; nothing else sets it.
import "server-only";

let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Moves this process's clock forward by `ms` (tests only: time passes without sleeping). */
export function advanceClock(ms: number): void {
  offsetMs += ms;
}

/** Back to the real time. */
export function resetClock(): void {
  offsetMs = 0;
}
