// DELETE /v2/me/sessions: sign out everywhere. Every session of the calling person ends at once, on every
// device and app instance (this one too).
import { routeOf } from "@/lib/server/http/operation";
import { signOutEverywhere } from "@/lib/server/operations/access";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(signOutEverywhere);
