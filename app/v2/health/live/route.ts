// GET /v2/health/live: liveness; answers without touching the database.
export const dynamic = "force-dynamic";

export function GET(): Response {
  return new Response('{"status":"ok"}', {
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}
