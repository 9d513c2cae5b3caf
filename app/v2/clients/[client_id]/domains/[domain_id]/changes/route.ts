// GET /v2/clients/{c}/domains/{d}/changes?after=: the domain's change feed, as JSON pages or (Accept:
// text/event-stream) a live Server-Sent Events stream.
import { changesHandler } from "@/lib/server/changes/endpoints";
import { defineRoute } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: "assignments:read", handler: changesHandler },
});
