// GET, DELETE /v2/clients/{c}/webhooks/{id}: one webhook (admins); DELETE answers the webhook it
// deleted and drops its deliveries.
import { routeOf } from "@/lib/server/http/operation";
import { deleteWebhook, getWebhook } from "@/lib/server/operations/webhooks";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getWebhook, deleteWebhook);
