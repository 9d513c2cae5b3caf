"use client";
// What a service runs per assignment key of its domain: its own active overrides and the domain defaults (two
// requests, whatever the number of keys), merged the way GET …/effective answers.
import { useMemo } from "react";
import type { Assignment } from "@/lib/browser/api-client/types";
import { useAssignmentKeys } from "@/lib/browser/queries/assignment-keys";
import { useAssignments } from "@/lib/browser/queries/assignments";

type VersionRef = { model_id: string; model_version: string };

export function useServiceKeys(clientId: string, domainId: string, serviceId: string) {
  const assignmentKeys = useAssignmentKeys(clientId, domainId);
  const ownOverrides = useAssignments({ clientId, domainId, serviceId });
  /** The service's own overrides, by key. */
  const own = useMemo(
    () => new Map((ownOverrides.data?.items ?? []).map((a) => [a.assignment_key, a])),
    [ownOverrides.data],
  );
  /** The domain's default per key (null: the key has none). */
  const defaults = useMemo(
    () =>
      new Map<string, Assignment | null>(
        (assignmentKeys.data?.items ?? []).map((k) => [k.assignment_key, k.domain_default]),
      ),
    [assignmentKeys.data],
  );
  /** Every key: the domain's and the service's own, sorted. */
  const allKeys = useMemo(
    () => [...new Set([...defaults.keys(), ...own.keys()])].sort(),
    [defaults, own],
  );
  /** The versions the service runs now: its own override, else the domain default, per key. */
  const running = useMemo(() => {
    const byKey = new Map<string, VersionRef>();
    for (const [key, fallback] of defaults) if (fallback) byKey.set(key, fallback);
    for (const [key, override] of own) byKey.set(key, override);
    return [...byKey.values()].map((r) => ({
      model_id: r.model_id,
      model_version: r.model_version,
    }));
  }, [defaults, own]);

  return {
    own,
    defaults,
    allKeys,
    running,
    loading: assignmentKeys.isPending || ownOverrides.isPending,
    error: assignmentKeys.error ?? ownOverrides.error,
    refetch: () => {
      void assignmentKeys.refetch();
      void ownOverrides.refetch();
    },
  };
}
