// GET, POST /v2/clients/{c}/domains/{d}/service/{s}/assignments: a service's own assignments; POST creates a key's first revision.
import {
  listAssignmentsHandler,
  postAssignmentHandler,
} from "@/lib/server/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: listAssignmentsHandler },
  POST: { scope: "assignments:write", handler: postAssignmentHandler },
});
