// POST /v2/clients/{c}/webhooks/{id}/deliveries/{delivery_id}/retry: send the delivery again now (same id).
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json } from "@/lib/server/http/route";
import { retryDelivery } from "@/lib/server/webhooks/webhooks";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  POST: {
    scope: "admin",
    handler: async (ctx) =>
      json(
        await retryDelivery(await getDatabase(), {
          actor: ctx.actor,
          meta: ctx,
          clientId: ctx.params.client_id!,
          webhookId: ctx.params.webhook_id!,
          deliveryId: ctx.params.delivery_id!,
        }),
      ),
  },
});
