// GET /v2/clients/{c}/domains/{d}/assignment-keys: every key assigned in the domain (active domain defaults and
// service overrides), each with its domain default and how many services override it.
import { routeOf } from "@/lib/server/http/operation";
import { listAssignmentKeys } from "@/lib/server/operations/assignments";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(listAssignmentKeys);
