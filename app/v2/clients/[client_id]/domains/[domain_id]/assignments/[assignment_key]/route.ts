// GET, PUT /v2/clients/{c}/domains/{d}/assignments/{k}: the domain default's active revision; PUT upserts it (with service_updates).
import {
  getAssignmentHandler,
  putAssignmentHandler,
} from "@/lib/server/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: getAssignmentHandler },
  PUT: { scope: "assignments:write", handler: putAssignmentHandler },
});
