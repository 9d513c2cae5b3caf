// GET, POST /v2/clients/{c}/domains/{d}/service/{s}/assignments: a service's own assignments; POST creates a key's first revision.
import { routeOf } from "@/lib/server/http/operation";
import {
  createServiceAssignment,
  listServiceAssignments,
} from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listServiceAssignments,
  createServiceAssignment,
);
