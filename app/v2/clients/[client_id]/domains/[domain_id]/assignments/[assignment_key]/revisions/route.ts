// GET /v2/clients/{c}/domains/{d}/assignments/{k}/revisions: every revision of the domain default, newest first.
import { listRevisionsHandler } from "@/lib/server/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: listRevisionsHandler },
});
