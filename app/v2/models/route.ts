// GET, POST /v2/models: the global model registry; POST registers a model.
import { routeOf } from "@/lib/server/http/operation";
import { createModel, listModels } from "@/lib/server/operations/registry";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(listModels, createModel);
