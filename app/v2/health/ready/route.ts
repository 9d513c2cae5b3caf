// GET /v2/health/ready: readiness; the database answers and every migration is applied.
import { getDatabase, isReady } from "@/db/client";
import { errorResponse } from "@/lib/http/errors";
import { json } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  try {
    const database = await getDatabase();
    if (await isReady(database)) return json({ status: "ready", database: database.driver });
    return errorResponse(503, "Database reachable but migrations are not all applied yet");
  } catch (error) {
    return errorResponse(503, `Database not ready: ${(error as Error).message}`);
  }
}
