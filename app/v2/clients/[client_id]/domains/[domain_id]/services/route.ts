// GET, POST /v2/clients/{c}/domains/{d}/services: the domain's services with their provided features and status
// (filterable by feature values and by compatibility with a model version, optionally with each one's effective
// assignments); POST adds one; PATCH changes many at once (all or nothing).
import { routeOf } from "@/lib/server/http/operation";
import { createService, listServices, patchServices } from "@/lib/server/operations/services";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listServices,
  createService,
  patchServices,
);
