// Sync state: how what a service reported it runs compares with what it should run (docs/observed-state.md).
// Pure: the report write and every status read (the status route, a rollout's gates) decide with these.

export const SYNC_STATES = [
  "synced",
  "out_of_sync",
  "contract_mismatch",
  "failed",
  "unknown",
] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export const OBSERVED_STATES = ["loaded", "loading", "failed"] as const;
export type ObservedState = (typeof OBSERVED_STATES)[number];

/** What the service should run: its effective assignment now, with the version's contract hash. */
export type Desired = {
  assignment_id: string;
  model_id: string;
  model_version: string;
  contract_hash: string;
  /** When this revision was written (from then on the service should run it). */
  created_at: Date;
};

/** What a report says the service runs. */
export type Report = {
  assignment_id: string | null;
  model_id: string;
  model_version: string;
  contract_hash: string | null;
  state: ObservedState;
};

/** The latest stored report, with the sync state it had when it arrived and since when. */
export type Observed = Report & { reported_at: Date; sync: SyncState; sync_since: Date };

export type Sync = { sync: SyncState; since: Date | null; last_seen: Date | null };

/**
 * A fresh report against what the service should run. `failed` wins; then another assignment revision, model or
 * version is `out_of_sync` (so is still `loading` the right one, and running anything where nothing should run);
 * the right version with another contract hash is `contract_mismatch`; a report without a hash can't be checked
 * against the contract, and counts as `synced`.
 */
export function compareReport(
  desired: Desired | null,
  report: Report,
): Exclude<SyncState, "unknown"> {
  if (report.state === "failed") return "failed";
  if (desired === null) return "out_of_sync";
  if (report.assignment_id !== null && report.assignment_id !== desired.assignment_id)
    return "out_of_sync";
  if (report.model_id !== desired.model_id || report.model_version !== desired.model_version)
    return "out_of_sync";
  if (report.state === "loading") return "out_of_sync";
  if (report.contract_hash !== null && report.contract_hash !== desired.contract_hash)
    return "contract_mismatch";
  return "synced";
}

/**
 * The sync state at `now`: `unknown` without a report or once the last one is older than `staleAfterMs` (since
 * the moment it went stale); else the last report against what the service should run now. `since` is when that
 * state began: kept from the stored report while the state is the one it had, else the later of the report and
 * the desired revision (what should run changed after the report).
 */
export function syncState(input: {
  desired: Desired | null;
  observed: Observed | null;
  now: Date;
  staleAfterMs: number;
}): Sync {
  const { desired, observed, now, staleAfterMs } = input;
  if (observed === null) return { sync: "unknown", since: null, last_seen: null };
  const last_seen = observed.reported_at;
  const staleAt = last_seen.getTime() + staleAfterMs;
  if (now.getTime() >= staleAt) return { sync: "unknown", since: new Date(staleAt), last_seen };
  const sync = compareReport(desired, observed);
  if (sync === observed.sync) return { sync, since: observed.sync_since, last_seen };
  const changedAt = Math.max(last_seen.getTime(), desired?.created_at.getTime() ?? 0);
  return { sync, since: new Date(changedAt), last_seen };
}

/**
 * What a new report stores and whether it changes the service's sync state: compared with the state the service
 * had just before it (stale or never reported: `unknown`). An unchanged state keeps its `since`.
 */
export function applyReport(input: {
  desired: Desired | null;
  previous: Observed | null;
  report: Report;
  now: Date;
  staleAfterMs: number;
}): { sync: Exclude<SyncState, "unknown">; since: Date; previous: SyncState; changed: boolean } {
  const before = syncState({
    desired: input.desired,
    observed: input.previous,
    now: input.now,
    staleAfterMs: input.staleAfterMs,
  });
  const sync = compareReport(input.desired, input.report);
  const changed = sync !== before.sync;
  return {
    sync,
    since: changed || before.since === null ? input.now : before.since,
    previous: before.sync,
    changed,
  };
}

/** Counts per state, every state present (0 when none). */
export function countSync(states: Iterable<SyncState>): Record<SyncState, number> {
  const counts = Object.fromEntries(SYNC_STATES.map((s) => [s, 0])) as Record<SyncState, number>;
  for (const s of states) counts[s] += 1;
  return counts;
}
