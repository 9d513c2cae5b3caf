// GET /v2/clients/{c}/domains/{d}/assignments/{k}/effective: every active service's effective assignment for the key.
import { domainEffectiveHandler } from "@/lib/server/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: domainEffectiveHandler },
});
