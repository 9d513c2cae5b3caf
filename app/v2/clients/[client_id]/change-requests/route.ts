// GET, POST /v2/clients/{c}/change-requests: a client's change requests; POST opens one (four eyes).
import { routeOf } from "@/lib/server/http/operation";
import { listChangeRequests, openChangeRequest } from "@/lib/server/operations/change-requests";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listChangeRequests,
  openChangeRequest,
);
