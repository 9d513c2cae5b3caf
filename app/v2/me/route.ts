// GET /v2/me: the caller's subject, scopes, clients, console role and what those allow.
import { routeOf } from "@/lib/server/http/operation";
import { getMe } from "@/lib/server/operations/access";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getMe);
