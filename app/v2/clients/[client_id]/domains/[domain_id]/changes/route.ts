// GET /v2/clients/{c}/domains/{d}/changes?after=: the domain's change feed, as JSON pages or (Accept:
// text/event-stream) a live Server-Sent Events stream.
import { routeOf } from "@/lib/server/http/operation";
import { listDomainChanges } from "@/lib/server/operations/assignments";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(listDomainChanges);
