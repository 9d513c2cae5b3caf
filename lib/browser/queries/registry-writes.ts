"use client";
// Registry writes: register a model, register an immutable version. Both refresh every registry read.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, dataOf, writeHeaders } from "@/lib/browser/api-client/typed-client";
import type {
  Model,
  ModelCreateBody,
  ModelVersion,
  VersionCreateBody,
} from "@/lib/browser/api-client/types";
import { keys } from "./keys";

export function useCreateModel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      reason,
      ...body
    }: ModelCreateBody & { reason?: string | null }): Promise<Model> =>
      api.POST("/v2/models", { params: { header: writeHeaders({ reason }) }, body }).then(dataOf),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.models.all() }),
  });
}

export function useCreateVersion(modelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      reason,
      ...body
    }: VersionCreateBody & { reason?: string | null }): Promise<ModelVersion> =>
      api
        .POST("/v2/models/{model_id}/versions", {
          params: { path: { model_id: modelId }, header: writeHeaders({ reason }) },
          body,
        })
        .then(dataOf),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.models.all() }),
  });
}
