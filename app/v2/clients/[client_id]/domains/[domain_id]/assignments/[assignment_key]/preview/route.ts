// POST /v2/clients/{c}/domains/{d}/assignments/{k}/preview: the blast radius of a domain default change; writes nothing.
import { routeOf } from "@/lib/server/http/operation";
import { previewDomainDefaultAssignment } from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  previewDomainDefaultAssignment,
);
