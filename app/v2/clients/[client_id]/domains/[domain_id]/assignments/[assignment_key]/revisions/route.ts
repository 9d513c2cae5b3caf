// GET /v2/clients/{c}/domains/{d}/assignments/{k}/revisions: every revision of the domain default, newest first.
import { routeOf } from "@/lib/server/http/operation";
import { listRevisionsOfDomainDefaultAssignment } from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listRevisionsOfDomainDefaultAssignment,
);
