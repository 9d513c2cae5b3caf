// The columns both observed-state statements (report-observations.ts, sync-status.ts) answer about one service: what
// it should run (desired_*: its effective assignment and that version's contract hash) and its latest report (o_*),
// and how they become the Desired and Observed of lib/features/sync-state.
import "server-only";
import type { Desired, Observed, ObservedState, SyncState } from "@/lib/features/sync-state";

/** `T`: how the statement returns timestamps (a Date or its text, or epoch milliseconds). */
export type SyncColumns<T> = {
  desired_id: string | null;
  desired_model_id: string | null;
  desired_model_version: string | null;
  desired_created_at: T | null;
  desired_hash: string | null;
  o_assignment_id: string | null;
  o_model_id: string | null;
  o_model_version: string | null;
  o_contract_hash: string | null;
  o_state: ObservedState | null;
  o_reported_at: T | null;
  o_sync: SyncState | null;
  o_sync_since: T | null;
};

/** What the service should run, or null when nothing is assigned to it. */
export function desiredOf<T>(r: SyncColumns<T>, time: (v: T) => Date): Desired | null {
  if (r.desired_id === null) return null;
  return {
    assignment_id: r.desired_id,
    model_id: r.desired_model_id!,
    model_version: r.desired_model_version!,
    contract_hash: r.desired_hash!,
    created_at: time(r.desired_created_at!),
  };
}

/** The service's latest report, or null when it has not reported about the key. */
export function observedOf<T>(r: SyncColumns<T>, time: (v: T) => Date): Observed | null {
  if (r.o_state === null) return null;
  return {
    assignment_id: r.o_assignment_id,
    model_id: r.o_model_id!,
    model_version: r.o_model_version!,
    contract_hash: r.o_contract_hash,
    state: r.o_state,
    reported_at: time(r.o_reported_at!),
    sync: r.o_sync!,
    sync_since: time(r.o_sync_since!),
  };
}
