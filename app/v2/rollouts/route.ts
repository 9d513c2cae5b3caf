// GET, POST /v2/rollouts: rollouts the caller may see; POST starts one (waves of domains, each gated).
import { routeOf } from "@/lib/server/http/operation";
import { createRollout, listRollouts } from "@/lib/server/operations/rollouts";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listRollouts,
  createRollout,
);
