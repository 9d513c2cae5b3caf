"use client";
// The blocking services of the version being picked and what the person typed to fix them: what previews and
// refused saves reported (kept, so inputs never vanish as services get fixed), the typed values, and the checks.
import { useCallback, useMemo, useState } from "react";
import type { BlockingService } from "@/lib/browser/api-client/types";
import type { Preview } from "@/lib/browser/api-client/types";
import type { FeatureDefinition } from "@/lib/features/types";
import {
  checkFixes,
  clearFixValue,
  emptyRepairs,
  recordBlocking,
  serviceUpdatesOf,
  setFixValue,
  setFixValues,
  setManyFixValues,
  type FixValue,
  type RepairState,
  type ServiceFix,
} from "../service-repairs";

/** A save the server refused (422) because of these services, for the target it was about. */
type Refusal = { target: string; list: BlockingService[]; at: number; message: string };

export function useRepairs(
  target: string | null,
  contract: readonly FeatureDefinition[] | undefined,
) {
  const [repairs, setRepairs] = useState<RepairState>(emptyRepairs);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  // Per target: the services to keep on the version they run now ("Move the others, keep these").
  const [pinsByTarget, setPinsByTarget] = useState<Record<string, string[]>>({});
  const pins = useMemo(() => (target ? (pinsByTarget[target] ?? []) : []), [pinsByTarget, target]);

  // What goes into the preview and the save: the valid values typed for the services recorded so far, except
  // for the pinned ones (a service is either fixed so it moves, or pinned so it stays).
  const updates = useMemo(
    () =>
      target && contract
        ? serviceUpdatesOf(checkFixes(repairs, target, contract), new Set(pins))
        : [],
    [repairs, target, contract, pins],
  );

  /** Remembers every service reported as blocking `reportedTarget` (by a preview or a refused save). */
  const record = useCallback(
    (reportedTarget: string, blocking: readonly BlockingService[]) =>
      setRepairs((r) => recordBlocking(r, reportedTarget, blocking)),
    [],
  );
  const setFix = useCallback(
    (serviceId: string, featureKey: string, value: FixValue) =>
      setRepairs((r) => setFixValue(r, serviceId, featureKey, value)),
    [],
  );
  const setValues = useCallback(
    (serviceIds: readonly string[], featureKey: string, value: FixValue) =>
      setRepairs((r) => setFixValues(r, serviceIds, featureKey, value)),
    [],
  );
  const setMany = useCallback(
    (entries: readonly { serviceId: string; key: string; value: FixValue }[]) =>
      setRepairs((r) => setManyFixValues(r, entries)),
    [],
  );
  const clearFix = useCallback(
    (serviceId: string, featureKey: string) =>
      setRepairs((r) => clearFixValue(r, serviceId, featureKey)),
    [],
  );
  /** Keeps these services on the version they run now (added to the pins of the version picked). */
  const pin = (serviceIds: readonly string[]) => {
    if (!target) return;
    setPinsByTarget((all) => ({
      ...all,
      [target]: [...new Set([...(all[target] ?? []), ...serviceIds])].sort(),
    }));
  };
  /** Lets these services move with the change again. */
  const unpin = (serviceIds: readonly string[]) => {
    if (!target) return;
    const drop = new Set(serviceIds);
    setPinsByTarget((all) => ({
      ...all,
      [target]: (all[target] ?? []).filter((id) => !drop.has(id)),
    }));
  };
  const refuse = (refusedTarget: string, list: BlockingService[], message: string) => {
    record(refusedTarget, list);
    setRefusal({ target: refusedTarget, list, at: Date.now(), message });
  };

  return {
    repairs,
    updates,
    record,
    setFix,
    setValues,
    setMany,
    clearFix,
    pins,
    pin,
    unpin,
    /** The last refused save, while the version it was about is still the one picked. */
    refusal: refusal && refusal.target === target ? refusal : null,
    refuse,
    clearRefusal: () => setRefusal(null),
  };
}

export type Repairs = ReturnType<typeof useRepairs>;
/** What the inputs for the services to fix do: one value, one value for many services, undo. */
export type FixActions = Pick<Repairs, "setFix" | "setValues" | "clearFix">;

/**
 * The checks to show for the version picked: every service recorded, plus those the answer on screen reports
 * (an answer from the cache, fetched before this form opened, was never recorded by it).
 */
export function useShownFixes(
  repairs: RepairState,
  target: string | null,
  contract: readonly FeatureDefinition[] | undefined,
  reported: readonly BlockingService[] | undefined,
): ServiceFix[] {
  return useMemo(
    () =>
      target && contract
        ? checkFixes(
            reported ? recordBlocking(repairs, target, reported) : repairs,
            target,
            contract,
          )
        : [],
    [repairs, target, contract, reported],
  );
}

/**
 * The services blocking the change now: the refused save's list when it is newer than the preview's answer,
 * else the preview's; with the server's words while any are left.
 */
export function blockingNow(
  refusal: Refusal | null,
  preview: { data: Preview | undefined; dataUpdatedAt: number },
): { blocking: BlockingService[]; refusalMessage: string | null } {
  const blocking =
    refusal && refusal.at >= preview.dataUpdatedAt
      ? refusal.list
      : (preview.data?.blocking_services ?? []);
  return { blocking, refusalMessage: refusal && blocking.length > 0 ? refusal.message : null };
}
