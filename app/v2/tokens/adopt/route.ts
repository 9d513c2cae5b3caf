// POST /v2/tokens/adopt: records a legacy token (signed with this server's secret by `npm run token` before 0.2.0,
// never recorded) so it is accepted again, listed, revocable and expiring (admins only). Answers its record, never
// the JWT (the caller has it).
import { routeOf } from "@/lib/server/http/operation";
import { adoptApiToken } from "@/lib/server/operations/access";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(adoptApiToken);
