// GET, PUT /v2/clients/{c}/domains/{d}/assignments/{k}: the domain default's active revision; PUT upserts it (with service_updates).
import { routeOf } from "@/lib/server/http/operation";
import {
  getDomainDefaultAssignment,
  upsertDomainDefaultAssignment,
} from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  getDomainDefaultAssignment,
  upsertDomainDefaultAssignment,
);
