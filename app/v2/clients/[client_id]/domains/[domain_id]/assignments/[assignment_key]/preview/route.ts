// POST /v2/clients/{c}/domains/{d}/assignments/{k}/preview: the blast radius of a domain default change; writes nothing.
import { previewHandler } from "@/lib/server/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  POST: { scope: "assignments:read", handler: previewHandler },
});
