// GET, PUT /v2/clients/{c}/domains/{d}/service/{s}/assignments/{k}: the seed page's keyed upsert of a service assignment.
import { routeOf } from "@/lib/server/http/operation";
import { getServiceAssignment, upsertServiceAssignment } from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  getServiceAssignment,
  upsertServiceAssignment,
);
