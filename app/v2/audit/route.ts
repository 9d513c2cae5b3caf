// GET /v2/audit: the audit log, newest first (admins only), filtered by actor, action, entity, client and
// time; JSON pages, or every matching entry as a streamed CSV with `Accept: text/csv`.
import { routeOf } from "@/lib/server/http/operation";
import { listAuditEntries } from "@/lib/server/operations/meta";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(listAuditEntries);
