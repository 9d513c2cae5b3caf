// GET /v2/clients/{c}/domains/{d}/service/{s}/assignments/{k}/effective[?at=]: the service's own assignment, else the domain default.
import { effectiveHandler } from "@/lib/server/assignments/assignment-endpoints";
import { defineRoute } from "@/lib/server/http/route";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: effectiveHandler },
});
