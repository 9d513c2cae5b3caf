// GET /v2/rollouts/{id}: one rollout, its waves with their state and synced share.
import { routeOf } from "@/lib/server/http/operation";
import { getRollout } from "@/lib/server/operations/rollouts";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getRollout);
