// GET /v2/clients/{c}/webhooks/{id}/deliveries: the webhook's deliveries, newest first (admins).
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json, readQuery } from "@/lib/server/http/route";
import { webhookDeliveriesQuery } from "@/lib/schemas/webhooks";
import { listDeliveries } from "@/lib/server/webhooks/webhooks";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) => {
      const query = readQuery(ctx, webhookDeliveriesQuery);
      return json(
        await listDeliveries(await getDatabase(), {
          clientId: ctx.params.client_id!,
          webhookId: ctx.params.webhook_id!,
          limit: query.limit,
        }),
      );
    },
  },
});
