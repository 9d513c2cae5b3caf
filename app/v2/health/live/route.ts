// GET /v2/health/live: liveness, and which version answers; never touches the database.
import { defineRoute, json } from "@/lib/server/http/route";
import { API_VERSION, APP_VERSION } from "@/lib/shared/version";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: null,
    handler: async () => json({ status: "ok", version: APP_VERSION, api: API_VERSION }),
  },
});
