// GET /v2/clients/{c}/webhooks/{id}/deliveries: the webhook's deliveries, newest first (admins).
import { routeOf } from "@/lib/server/http/operation";
import { listWebhookDeliveries } from "@/lib/server/operations/webhooks";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(listWebhookDeliveries);
