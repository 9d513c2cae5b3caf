// GET /v2/clients/{c}/domains/{d}/assignments/{k}/effective: every active service's effective assignment for the key.
import { routeOf } from "@/lib/server/http/operation";
import { listDomainEffectiveAssignments } from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listDomainEffectiveAssignments,
);
