// POST /v2/clients/{c}/change-requests/{id}/reviews: approve, reject or comment on the impact hash the reviewer saw.
import { routeOf } from "@/lib/server/http/operation";
import { reviewChangeRequest } from "@/lib/server/operations/change-requests";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(reviewChangeRequest);
