// POST /v2/rollouts/preview: each wave's affected and blocking services; writes nothing.
import { routeOf } from "@/lib/server/http/operation";
import { previewRollout } from "@/lib/server/operations/rollouts";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(previewRollout);
