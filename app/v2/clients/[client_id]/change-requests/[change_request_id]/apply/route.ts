// POST /v2/clients/{c}/change-requests/{id}/apply: apply an approved request in one transaction, exactly once.
import { routeOf } from "@/lib/server/http/operation";
import { applyChangeRequest } from "@/lib/server/operations/change-requests";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(applyChangeRequest);
