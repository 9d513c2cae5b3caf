// GET, POST /v2/models/{m}/versions: a model's versions; POST registers an immutable version with its feature contract.
import { routeOf } from "@/lib/server/http/operation";
import { createModelVersion, listModelVersions } from "@/lib/server/operations/registry";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listModelVersions,
  createModelVersion,
);
