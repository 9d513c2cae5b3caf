// GET, POST /v2/clients/{c}/domains: a tenant's domains; POST (admin) adds one.
import { routeOf } from "@/lib/server/http/operation";
import { createDomain, listDomains } from "@/lib/server/operations/tenancy";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(listDomains, createDomain);
