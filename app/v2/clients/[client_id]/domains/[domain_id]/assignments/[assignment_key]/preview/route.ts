// POST /v2/clients/{c}/domains/{d}/assignments/{k}/preview: the blast radius of a domain default change; writes nothing.
import { previewHandler } from "@/lib/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  POST: { scope: "assignments:read", handler: previewHandler },
});
