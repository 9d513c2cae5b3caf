// GET, PATCH /v2/clients/{c}/change-requests/{id}: one change request; PATCH (its author) voids every approval.
import { routeOf } from "@/lib/server/http/operation";
import { editChangeRequest, getChangeRequest } from "@/lib/server/operations/change-requests";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  getChangeRequest,
  editChangeRequest,
);
