"use client";
// Rollouts for the console: the list, one rollout (refreshed every few seconds while it moves, so the synced share
// rises live), the preview of a plan, starting one, and the actions.
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, dataOf, writeHeaders } from "@/lib/browser/api-client/typed-client";
import type {
  Page,
  Rollout,
  RolloutCreateBody,
  RolloutPreview,
  RolloutSummary,
} from "@/lib/browser/api-client/types";
import { keys } from "./keys";

export type RolloutAction = "pause" | "resume" | "promote" | "abort" | "rollback";

/** How often a moving rollout is read again. */
export const LIVE_MS = 3_000;

const moving = (status: string | undefined) => status === "running" || status === "paused";

export const rolloutsQuery = () =>
  queryOptions({
    queryKey: keys.rollouts.list(),
    queryFn: (): Promise<Page<RolloutSummary>> =>
      api.GET("/v2/rollouts", { params: { query: { limit: 100 } } }).then(dataOf),
  });

export const useRollouts = () =>
  useQuery({
    ...rolloutsQuery(),
    refetchInterval: (q) => (q.state.data?.items.some((r) => moving(r.status)) ? LIVE_MS : false),
  });

export const useRollout = (id: string) =>
  useQuery({
    queryKey: keys.rollouts.detail(id),
    queryFn: (): Promise<Rollout> =>
      api.GET("/v2/rollouts/{rollout_id}", { params: { path: { rollout_id: id } } }).then(dataOf),
    refetchInterval: (q) => (moving(q.state.data?.status) ? LIVE_MS : false),
  });

export function usePreviewRollout() {
  return useMutation({
    mutationFn: (body: RolloutCreateBody) =>
      api.POST("/v2/rollouts/preview", { body }).then((a): RolloutPreview => dataOf(a)),
  });
}

export function useCreateRollout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, reason }: { body: RolloutCreateBody; reason?: string | null }) =>
      api
        .POST("/v2/rollouts", { params: { header: writeHeaders({ reason }) }, body })
        .then((a): Rollout => dataOf(a)),
    onSuccess: (rollout) => {
      queryClient.setQueryData(keys.rollouts.detail(rollout.id), rollout);
      void queryClient.invalidateQueries({ queryKey: keys.rollouts.list() });
    },
  });
}

export function useRolloutAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      action,
      wave,
      reason,
    }: {
      action: RolloutAction;
      /** The wave the person saw as current: the server refuses (409) if it moved on since. */
      wave?: number | null;
      reason?: string | null;
    }) =>
      api
        .POST(`/v2/rollouts/{rollout_id}/${action}`, {
          params: {
            path: { rollout_id: id },
            query: wave ? { wave } : {},
            header: writeHeaders({ reason }),
          },
        })
        .then((a): Rollout => dataOf(a as { data?: Rollout; error?: unknown; response: Response })),
    onSuccess: (rollout) => {
      queryClient.setQueryData(keys.rollouts.detail(id), rollout);
      void queryClient.invalidateQueries({ queryKey: keys.rollouts.list() });
    },
  });
}
