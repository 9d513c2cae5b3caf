// GET /v2/clients/{c}/domains/{d}/assignments/{k}/effective: every active service's effective assignment for the key.
import { domainEffectiveHandler } from "@/lib/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: domainEffectiveHandler },
});
