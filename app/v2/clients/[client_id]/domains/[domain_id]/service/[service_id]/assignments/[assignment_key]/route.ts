// GET, PUT /v2/clients/{c}/domains/{d}/service/{s}/assignments/{k}: the seed page's keyed upsert of a service assignment.
import {
  getAssignmentHandler,
  putAssignmentHandler,
} from "@/lib/server/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: getAssignmentHandler },
  PUT: { scope: "assignments:write", handler: putAssignmentHandler },
});
