// POST /v2/me/password: a signed-in person changes their own password; every session of theirs ends.
import { routeOf } from "@/lib/server/http/operation";
import { changeOwnPassword } from "@/lib/server/operations/access";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(changeOwnPassword);
