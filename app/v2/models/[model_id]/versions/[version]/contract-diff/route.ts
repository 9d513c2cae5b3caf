// GET /v2/models/{m}/versions/{v}/contract-diff?from={v0}: features added, removed, retyped or changed, each compatible or breaking.
import { routeOf } from "@/lib/server/http/operation";
import { getContractDiff } from "@/lib/server/operations/registry";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getContractDiff);
