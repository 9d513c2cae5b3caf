"use client";
// The contracts that type a service's feature inputs: every version the service runs now (one per assignment
// key) and, when one is chosen, the version it is being moved to. Each version is one cached query, shared by
// every row of the table that runs it.
import { useQueries, type UseQueryResult } from "@tanstack/react-query";
import type { ModelVersion } from "@/lib/browser/api-client/types";
import { useMemo } from "react";
import { versionQuery } from "@/lib/browser/queries/registry";
import type { EditorContract } from "./feature-rows";

// Module-level, so TanStack Query keeps the combined result stable between renders.
function combine(results: UseQueryResult<ModelVersion>[]) {
  return {
    data: results.map((r) => r.data),
    pending: results.some((r) => r.isPending),
    error: results.find((r) => r.error)?.error ?? null,
    retry: () => results.forEach((r) => void (r.error && r.refetch())),
  };
}

export type VersionRef = { model_id: string; model_version: string };

export function useEditorContracts(
  running: readonly VersionRef[],
  target: VersionRef | null,
): { contracts: EditorContract[]; pending: boolean; error: Error | null; retry: () => void } {
  const refs = useMemo(() => {
    const seen = new Map<string, VersionRef & { target: boolean }>();
    if (target) seen.set(`${target.model_id}@${target.model_version}`, { ...target, target: true });
    for (const r of running) {
      const label = `${r.model_id}@${r.model_version}`;
      if (!seen.has(label)) seen.set(label, { ...r, target: false });
    }
    return [...seen.entries()];
  }, [running, target]);
  const results = useQueries({
    queries: refs.map(([, r]) => versionQuery(r.model_id, r.model_version)),
    combine,
  });
  const contracts = useMemo(
    () =>
      refs.flatMap(([label, r], i) => {
        const version = results.data[i];
        return version ? [{ label, features: version.features, target: r.target }] : [];
      }),
    [refs, results.data],
  );
  return {
    contracts,
    pending: results.pending,
    error: results.error,
    retry: results.retry,
  };
}
