// GET /v2/clients/{c}/domains/{d}/assignments/{k}/revisions: every revision of the domain default, newest first.
import { listRevisionsHandler } from "@/lib/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: listRevisionsHandler },
});
