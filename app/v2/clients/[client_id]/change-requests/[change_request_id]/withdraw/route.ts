// POST /v2/clients/{c}/change-requests/{id}/withdraw: withdraw a request (its author or an admin).
import { routeOf } from "@/lib/server/http/operation";
import { withdrawChangeRequest } from "@/lib/server/operations/change-requests";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(withdrawChangeRequest);
