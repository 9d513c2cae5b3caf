// GET /v2/models/{m}/versions/{v}: one version with its frozen feature contract.
import { routeOf } from "@/lib/server/http/operation";
import { getModelVersion } from "@/lib/server/operations/registry";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getModelVersion);
