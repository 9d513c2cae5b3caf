// PUT /v2/clients/{c}/domains/{d}/service/{s}/observed/{k}: a service reports what it runs for a key.
import { routeOf } from "@/lib/server/http/operation";
import { reportObservation } from "@/lib/server/operations/observations";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(reportObservation);
