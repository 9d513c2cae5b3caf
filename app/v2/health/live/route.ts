// GET /v2/health/live: liveness; answers without touching the database.
import { withSecurityHeaders } from "@/lib/http/security-headers";

export const dynamic = "force-dynamic";

export function GET(request: Request): Response {
  return withSecurityHeaders(
    new Response('{"status":"ok"}', {
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    }),
    request,
  );
}
