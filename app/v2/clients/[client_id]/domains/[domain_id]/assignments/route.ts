// GET, POST /v2/clients/{c}/domains/{d}/assignments: the domain's default assignments; POST creates a key's first revision.
import { routeOf } from "@/lib/server/http/operation";
import {
  createDomainDefaultAssignment,
  listDomainDefaultAssignments,
} from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listDomainDefaultAssignments,
  createDomainDefaultAssignment,
);
