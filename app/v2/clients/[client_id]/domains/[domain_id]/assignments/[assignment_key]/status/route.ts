// GET /v2/clients/{c}/domains/{d}/assignments/{k}/status: what each service runs for the key against what it should.
import { routeOf } from "@/lib/server/http/operation";
import { getSyncStatus } from "@/lib/server/operations/observations";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getSyncStatus);
