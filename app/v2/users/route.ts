// GET, POST /v2/users: the console's people (admins only); POST adds one, with a generated password shown once
// when none is given.
import { routeOf } from "@/lib/server/http/operation";
import { createUser, listUsers } from "@/lib/server/operations/access";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(listUsers, createUser);
