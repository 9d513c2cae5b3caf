// GET /v2/health/live: liveness, and which version answers; never touches the database.
import { routeOf } from "@/lib/server/http/operation";
import { getLiveness } from "@/lib/server/operations/meta";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getLiveness);
