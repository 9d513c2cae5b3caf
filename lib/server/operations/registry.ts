// The model registry's operations: models and their immutable versions, shared by every client.
import "server-only";
import { created, defineOperation } from "@/lib/server/http/operation";
import { json } from "@/lib/server/http/route";
import * as registry from "@/lib/server/registry/registry";
import { page, paginationQuery } from "@/lib/schemas/common";
import {
  contractDiffQuery,
  contractDiffRow,
  modelCreateBody,
  modelRow,
  versionCreateBody,
  versionRow,
} from "@/lib/schemas/registry";

const modelPage = page(modelRow, "ModelPage");
const versionPage = page(versionRow, "ModelVersionPage");

export const listModels = defineOperation({
  method: "GET",
  path: "/v2/models",
  operationId: "listModels",
  tag: "Model registry",
  summary: "List the registry's models",
  description:
    "The global registry, shared by every client, sorted by id; each model lists its version strings.",
  scope: "models:read",
  query: paginationQuery,
  success: { 200: { description: "A page of models", schema: modelPage } },
  handler: async ({ db, query }) => json(await registry.listModels(db, query)),
});

export const createModel = defineOperation({
  method: "POST",
  path: "/v2/models",
  operationId: "createModel",
  tag: "Model registry",
  summary: "Register a model",
  description:
    "Adds a model to the global registry; register its versions with `POST /v2/models/{model_id}/versions`.",
  scope: "models:write",
  dryRun: true,
  body: { schema: modelCreateBody },
  success: { 201: { description: "Model registered", schema: modelRow, headers: ["Location"] } },
  errors: { 409: "The model already exists in the registry." },
  handler: async ({ db, actor, meta, body, dryRun }) => {
    const row = await registry.createModel(db, { actor, meta, body }, { dryRun });
    return created(getModel, { model_id: row.model_id }, row);
  },
});

export const getModel = defineOperation({
  method: "GET",
  path: "/v2/models/{model_id}",
  operationId: "getModel",
  tag: "Model registry",
  summary: "Get a model with the list of its versions",
  description: "The model's name, description and every registered version.",
  scope: "models:read",
  success: { 200: { description: "The model", schema: modelRow } },
  handler: async ({ db, params }) =>
    json(await registry.getModel(db, { modelId: params.model_id })),
});

export const listModelVersions = defineOperation({
  method: "GET",
  path: "/v2/models/{model_id}/versions",
  operationId: "listModelVersions",
  tag: "Model registry",
  summary: "List a model's versions with their feature contracts",
  description: "Every version of the model, each with its frozen feature contract.",
  scope: "models:read",
  query: paginationQuery,
  success: { 200: { description: "A page of versions", schema: versionPage } },
  handler: async ({ db, params, query }) =>
    json(await registry.listVersions(db, { modelId: params.model_id, ...query })),
});

export const createModelVersion = defineOperation({
  method: "POST",
  path: "/v2/models/{model_id}/versions",
  operationId: "createModelVersion",
  tag: "Model registry",
  summary: "Register an immutable model version with its feature contract",
  description: "The feature contract is frozen at registration (the version freeze).",
  scope: "models:write",
  dryRun: true,
  body: { schema: versionCreateBody },
  success: {
    201: { description: "Version registered", schema: versionRow, headers: ["Location"] },
  },
  errors: {
    409: "The model already has this version; versions are immutable, register a new one.",
    422: "Semantically invalid request — invalid feature definitions (duplicate keys, a default that does not match its type, an enum without values, a bad key).",
  },
  handler: async ({ db, actor, meta, params, body, dryRun }) => {
    const modelId = params.model_id;
    const row = await registry.createVersion(db, { actor, meta, modelId, body }, { dryRun });
    return created(getModelVersion, { model_id: modelId, version: row.version }, row);
  },
});

export const getModelVersion = defineOperation({
  method: "GET",
  path: "/v2/models/{model_id}/versions/{version}",
  operationId: "getModelVersion",
  tag: "Model registry",
  summary: "Get a model version with its frozen feature contract",
  description:
    "The version's feature contract: each feature's key, type, whether it is required, its default and allowed values.",
  scope: "models:read",
  success: { 200: { description: "The version", schema: versionRow } },
  handler: async ({ db, params }) =>
    json(await registry.getVersion(db, { modelId: params.model_id, version: params.version })),
});

export const getContractDiff = defineOperation({
  method: "GET",
  path: "/v2/models/{model_id}/versions/{version}/contract-diff",
  operationId: "getContractDiff",
  tag: "Model registry",
  summary: "Diff two versions' feature contracts",
  description:
    "Features added, removed, retyped or changed between `?from=` and this version, each marked compatible or breaking.",
  scope: "models:read",
  query: contractDiffQuery,
  success: { 200: { description: "The contract diff", schema: contractDiffRow } },
  handler: async ({ db, params, query }) =>
    json(
      await registry.contractDiff(db, {
        modelId: params.model_id,
        to: params.version,
        from: query.from,
      }),
    ),
});
