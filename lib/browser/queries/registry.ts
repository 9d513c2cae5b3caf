"use client";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch, v2 } from "@/lib/browser/api-client/api-fetch";
import type { ContractDiff, Model, ModelVersion, Page } from "@/lib/browser/api-client/types";
import { keys } from "./keys";

const modelsQuery = () =>
  queryOptions({
    queryKey: keys.models.list(),
    queryFn: () => apiFetch<Page<Model>>("/v2/models?limit=1000"),
  });
const modelQuery = (modelId: string) =>
  queryOptions({
    queryKey: keys.models.detail(modelId),
    queryFn: () => apiFetch<Model>(v2("models", modelId)),
  });
const versionsQuery = (modelId: string) =>
  queryOptions({
    queryKey: keys.models.versions(modelId),
    queryFn: () => apiFetch<Page<ModelVersion>>(`${v2("models", modelId, "versions")}?limit=1000`),
  });
export const versionQuery = (modelId: string, version: string) =>
  queryOptions({
    queryKey: keys.models.version(modelId, version),
    queryFn: () => apiFetch<ModelVersion>(v2("models", modelId, "versions", version)),
  });
const contractDiffQuery = (modelId: string, version: string, from: string) =>
  queryOptions({
    queryKey: keys.models.diff(modelId, version, from),
    queryFn: () =>
      apiFetch<ContractDiff>(
        `${v2("models", modelId, "versions", version, "contract-diff")}?from=${encodeURIComponent(from)}`,
      ),
  });

export const useModels = () => useQuery(modelsQuery());
export const useModel = (modelId: string) => useQuery(modelQuery(modelId));
export const useVersions = (modelId: string | null) =>
  useQuery({ ...versionsQuery(modelId ?? ""), enabled: !!modelId });
export const useVersion = (modelId: string, version: string) =>
  useQuery(versionQuery(modelId, version));
export const useContractDiff = (modelId: string, version: string, from: string | null) =>
  useQuery({
    ...contractDiffQuery(modelId, version, from ?? ""),
    enabled: !!from && from !== version,
  });
