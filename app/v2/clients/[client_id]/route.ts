// GET, PATCH /v2/clients/{c}: one tenant; PATCH (admin) renames it or sets whether changes need a reason.
import { routeOf } from "@/lib/server/http/operation";
import { getClient, patchClient } from "@/lib/server/operations/tenancy";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getClient, patchClient);
