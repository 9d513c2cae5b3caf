// GET /v2/assignments/{assignment_id}: any revision by id, archived ones too, within the caller's clients.
import { routeOf } from "@/lib/server/http/operation";
import { getAssignmentRevision } from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getAssignmentRevision);
