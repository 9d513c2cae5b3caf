// GET, PATCH /v2/users/{user_id}: one person (admins only); PATCH changes role, disabled, name or password, and
// refuses (422) to leave the console without an enabled admin.
import { routeOf } from "@/lib/server/http/operation";
import { getUser, patchUser } from "@/lib/server/operations/access";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getUser, patchUser);
