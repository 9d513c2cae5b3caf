// POST /v2/clients/{c}/webhooks/{id}/deliveries/{delivery_id}/retry: send the delivery again now (same id).
import { routeOf } from "@/lib/server/http/operation";
import { retryWebhookDelivery } from "@/lib/server/operations/webhooks";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(retryWebhookDelivery);
