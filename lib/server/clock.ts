// The server's clock for time-dependent answers (observed state turning stale). Tests move it forward instead of
// sleeping; nothing else sets it.
import "server-only";

let offsetMs = 0;
let frozenAtMs: number | null = null;

export function now(): Date {
  return new Date((frozenAtMs ?? Date.now()) + offsetMs);
}

/** Stops this process's clock where it is (tests only: a margin of a second must not depend on the machine's load). */
export function freezeClock(): void {
  frozenAtMs = Date.now();
}

/** Moves this process's clock forward by `ms` (tests only: time passes without sleeping). */
export function advanceClock(ms: number): void {
  offsetMs += ms;
}

/** Back to the real time. */
export function resetClock(): void {
  offsetMs = 0;
  frozenAtMs = null;
}
