// GET, POST /v2/clients: the tenants the caller may see; POST (admin) adds one.
import { routeOf } from "@/lib/server/http/operation";
import { createClient, listClients } from "@/lib/server/operations/tenancy";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(listClients, createClient);
