// GET /v2/clients/{c}/domains/{d}/service/{s}/assignments/{k}/revisions: every revision of the service's key, newest first.
import { listRevisionsHandler } from "@/lib/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: listRevisionsHandler },
});
