// GET /v2/clients/{c}/domains/{d}/service/{s}/assignments/{k}/effective[?at=]: the service's own assignment, else the domain default.
import { routeOf } from "@/lib/server/http/operation";
import { getEffectiveAssignment } from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getEffectiveAssignment);
