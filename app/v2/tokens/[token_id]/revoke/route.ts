// POST /v2/tokens/{token_id}/revoke: revokes a machine token (admins only; idempotent). From the next request on,
// the token gets 401 on every route.
import { routeOf } from "@/lib/server/http/operation";
import { revokeApiToken } from "@/lib/server/operations/access";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(revokeApiToken);
