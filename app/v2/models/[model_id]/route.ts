// GET /v2/models/{m}: one model with the list of its versions.
import { routeOf } from "@/lib/server/http/operation";
import { getModel } from "@/lib/server/operations/registry";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getModel);
