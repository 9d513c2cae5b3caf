// The model registry's operations: models and their immutable versions, shared by every client.
import "server-only";
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
import { family, ids } from "./define";

const modelPage = page(modelRow, "ModelPage");
const versionPage = page(versionRow, "ModelVersionPage");
const op = family("Model registry");

export const listModels = op.get({
  path: "/v2/models",
  operationId: "listModels",
  summary: "List the registry's models",
  description:
    "The global registry, shared by every client, sorted by id; each model lists its version strings.",
  scope: "models:read",
  query: paginationQuery,
  answers: { description: "A page of models", schema: modelPage },
  read: ({ db, query }) => registry.listModels(db, query),
});

export const createModel = op.create({
  path: "/v2/models",
  operationId: "createModel",
  summary: "Register a model",
  description:
    "Adds a model to the global registry; register its versions with `POST /v2/models/{model_id}/versions`.",
  scope: "models:write",
  dryRun: true,
  body: { schema: modelCreateBody },
  answers: { description: "Model registered", schema: modelRow },
  errors: { 409: "The model already exists in the registry." },
  write: ({ db, actor, meta, body, dryRun }) =>
    registry.createModel(db, { actor, meta, body }, { dryRun }),
  located: (row) => [getModel, { model_id: row.model_id }],
});

export const getModel = op.get({
  path: "/v2/models/{model_id}",
  operationId: "getModel",
  summary: "Get a model with the list of its versions",
  description: "The model's name, description and every registered version.",
  scope: "models:read",
  answers: { description: "The model", schema: modelRow },
  read: ({ db, params }) => registry.getModel(db, ids(params)),
});

export const listModelVersions = op.get({
  path: "/v2/models/{model_id}/versions",
  operationId: "listModelVersions",
  summary: "List a model's versions with their feature contracts",
  description: "Every version of the model, each with its frozen feature contract.",
  scope: "models:read",
  query: paginationQuery,
  answers: { description: "A page of versions", schema: versionPage },
  read: ({ db, params, query }) => registry.listVersions(db, { ...ids(params), ...query }),
});

export const createModelVersion = op.create({
  path: "/v2/models/{model_id}/versions",
  operationId: "createModelVersion",
  summary: "Register an immutable model version with its feature contract",
  description: "The feature contract is frozen at registration (the version freeze).",
  scope: "models:write",
  dryRun: true,
  body: { schema: versionCreateBody },
  answers: { description: "Version registered", schema: versionRow },
  errors: {
    409: "The model already has this version; versions are immutable, register a new one.",
    422: "Semantically invalid request — invalid feature definitions (duplicate keys, a default that does not match its type, an enum without values, a bad key).",
  },
  write: ({ db, actor, meta, params, body, dryRun }) =>
    registry.createVersion(db, { actor, meta, ...ids(params), body }, { dryRun }),
  located: (row, { params }) => [
    getModelVersion,
    { model_id: params.model_id, version: row.version },
  ],
});

export const getModelVersion = op.get({
  path: "/v2/models/{model_id}/versions/{version}",
  operationId: "getModelVersion",
  summary: "Get a model version with its frozen feature contract",
  description:
    "The version's feature contract: each feature's key, type, whether it is required, its default and allowed values.",
  scope: "models:read",
  answers: { description: "The version", schema: versionRow },
  read: ({ db, params }) => registry.getVersion(db, ids(params)),
});

export const getContractDiff = op.get({
  path: "/v2/models/{model_id}/versions/{version}/contract-diff",
  operationId: "getContractDiff",
  summary: "Diff two versions' feature contracts",
  description:
    "Features added, removed, retyped or changed between `?from=` and this version, each marked compatible or breaking.",
  scope: "models:read",
  query: contractDiffQuery,
  answers: { description: "The contract diff", schema: contractDiffRow },
  read: ({ db, params, query }) =>
    registry.contractDiff(db, { modelId: params.model_id, to: params.version, from: query.from }),
});
