// GET /v2/clients/{c}/domains/{d}/service/{s}/assignments/{k}/revisions: every revision of the service's key, newest first.
import { routeOf } from "@/lib/server/http/operation";
import { listRevisionsOfServiceAssignment } from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listRevisionsOfServiceAssignment,
);
