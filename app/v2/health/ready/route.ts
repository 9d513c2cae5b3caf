// GET /v2/health/ready: readiness; the database answers and every migration is applied. Public, so it says
// only whether the server is ready: why the database failed goes to the server log, never to the caller.
import { routeOf } from "@/lib/server/http/operation";
import { getReadiness } from "@/lib/server/operations/meta";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getReadiness);
