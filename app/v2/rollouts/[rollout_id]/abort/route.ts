// POST /v2/rollouts/{id}/abort: see the operation's description (lib/server/operations/rollouts.ts).
import { routeOf } from "@/lib/server/http/operation";
import { abortRollout } from "@/lib/server/operations/rollouts";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(abortRollout);
