// GET, POST /v2/clients/{c}/webhooks: a client's webhooks (admins); POST answers the signing secret this once.
import { routeOf } from "@/lib/server/http/operation";
import { createWebhook, listWebhooks } from "@/lib/server/operations/webhooks";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(
  listWebhooks,
  createWebhook,
);
