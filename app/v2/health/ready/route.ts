// GET /v2/health/ready: readiness; the database answers and every migration is applied. Public, so it says
// only whether the server is ready: why the database failed goes to the server log, never to the caller.
import { randomUUID } from "node:crypto";
import { getDatabase, isReady } from "@/db/client";
import { errorResponse } from "@/lib/http/errors";
import { json, logUnexpected } from "@/lib/http/route";
import { withSecurityHeaders } from "@/lib/http/security-headers";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  let response: Response;
  try {
    const database = await getDatabase();
    response = (await isReady(database))
      ? json({ status: "ready", database: database.driver })
      : errorResponse(503, "Database reachable but migrations are not all applied yet");
  } catch (error) {
    const requestId = randomUUID();
    logUnexpected(error, requestId, request);
    response = errorResponse(
      503,
      `Database not ready; the server log has the details under request id ${requestId}`,
    );
  }
  return withSecurityHeaders(response, request);
}
