// POST /v2/rollouts/{id}/rollback: see the operation's description (lib/server/operations/rollouts.ts).
import { routeOf } from "@/lib/server/http/operation";
import { rollbackRollout } from "@/lib/server/operations/rollouts";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(rollbackRollout);
