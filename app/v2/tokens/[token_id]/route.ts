// GET /v2/tokens/{token_id}: one machine token's record (admins only; never the JWT itself).
import { routeOf } from "@/lib/server/http/operation";
import { getApiToken } from "@/lib/server/operations/access";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getApiToken);
