"use client";
// Registry writes: register a model, register an immutable version. Both refresh every registry read.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, v2 } from "@/lib/browser/api-client/api-fetch";
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
    mutationFn: ({ reason, ...body }: ModelCreateBody & { reason?: string | null }) =>
      apiFetch<Model>("/v2/models", { method: "POST", body, reason }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.models.all() }),
  });
}

export function useCreateVersion(modelId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reason, ...body }: VersionCreateBody & { reason?: string | null }) =>
      apiFetch<ModelVersion>(v2("models", modelId, "versions"), { method: "POST", body, reason }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.models.all() }),
  });
}
