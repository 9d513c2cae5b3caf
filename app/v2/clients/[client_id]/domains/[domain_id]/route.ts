// GET, PATCH /v2/clients/{c}/domains/{d}: one domain; PATCH (admin) renames it or sets it active/inactive.
import { routeOf } from "@/lib/server/http/operation";
import { getDomain, patchDomain } from "@/lib/server/operations/tenancy";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getDomain, patchDomain);
