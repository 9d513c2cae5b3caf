"use client";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, dataOf } from "@/lib/browser/api-client/typed-client";
import type { ContractDiff, Model, ModelVersion, Page } from "@/lib/browser/api-client/types";
import { keys } from "./keys";

const modelsQuery = () =>
  queryOptions({
    queryKey: keys.models.list(),
    queryFn: (): Promise<Page<Model>> =>
      api.GET("/v2/models", { params: { query: { limit: 1000 } } }).then(dataOf),
  });
const modelQuery = (modelId: string) =>
  queryOptions({
    queryKey: keys.models.detail(modelId),
    queryFn: (): Promise<Model> =>
      api.GET("/v2/models/{model_id}", { params: { path: { model_id: modelId } } }).then(dataOf),
  });
const versionsQuery = (modelId: string) =>
  queryOptions({
    queryKey: keys.models.versions(modelId),
    queryFn: (): Promise<Page<ModelVersion>> =>
      api
        .GET("/v2/models/{model_id}/versions", {
          params: { path: { model_id: modelId }, query: { limit: 1000 } },
        })
        .then(dataOf),
  });
export const versionQuery = (modelId: string, version: string) =>
  queryOptions({
    queryKey: keys.models.version(modelId, version),
    queryFn: (): Promise<ModelVersion> =>
      api
        .GET("/v2/models/{model_id}/versions/{version}", {
          params: { path: { model_id: modelId, version } },
        })
        .then(dataOf),
  });
const contractDiffQuery = (modelId: string, version: string, from: string) =>
  queryOptions({
    queryKey: keys.models.diff(modelId, version, from),
    queryFn: (): Promise<ContractDiff> =>
      api
        .GET("/v2/models/{model_id}/versions/{version}/contract-diff", {
          params: { path: { model_id: modelId, version }, query: { from } },
        })
        .then(dataOf),
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
