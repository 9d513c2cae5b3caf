// GET /v2/health/live: liveness; answers without touching the database.
import { defineRoute, json } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: null, handler: async () => json({ status: "ok" }) },
});
