// GET /v2/health/ready: readiness; the database answers and every migration is applied. Public, so it says
// only whether the server is ready: why the database failed goes to the server log, never to the caller.
import { getDatabase } from "@/lib/server/database";
import { isReady } from "@/db/open";
import { errorResponse } from "@/lib/shared/errors";
import { defineRoute, json, logUnexpected } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: null,
    handler: async ({ request, requestId }) => {
      try {
        const database = await getDatabase();
        if (await isReady(database)) return json({ status: "ready", database: database.driver });
        return errorResponse(503, "Database reachable but migrations are not all applied yet");
      } catch (error) {
        logUnexpected(error, requestId, request);
        return errorResponse(
          503,
          `Database not ready; the server log has the details under request id ${requestId}`,
        );
      }
    },
  },
});
