// GET, PATCH /v2/clients/{c}/domains/{d}/service/{s}: one service; PATCH merges provided_features, renames or departs it.
import { routeOf } from "@/lib/server/http/operation";
import { getService, patchService } from "@/lib/server/operations/services";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getService, patchService);
