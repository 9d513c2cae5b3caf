// POST /v2/clients/{c}/domains/{d}/observations: up to 10,000 reports of what services run, answered per item.
import { routeOf } from "@/lib/server/http/operation";
import { reportObservations } from "@/lib/server/operations/observations";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(reportObservations);
