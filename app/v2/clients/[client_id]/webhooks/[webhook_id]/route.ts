// GET, DELETE /v2/clients/{c}/webhooks/{id}: one webhook (admins); DELETE answers the webhook it
// deleted and drops its deliveries.
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json } from "@/lib/server/http/route";
import { deleteWebhook, getWebhook } from "@/lib/server/webhooks/webhooks";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) =>
      json(
        await getWebhook(await getDatabase(), {
          clientId: ctx.params.client_id!,
          webhookId: ctx.params.webhook_id!,
        }),
      ),
  },
  DELETE: {
    scope: "admin",
    handler: async (ctx) => {
      const deleted = await deleteWebhook(await getDatabase(), {
        actor: ctx.actor,
        meta: ctx,
        clientId: ctx.params.client_id!,
        webhookId: ctx.params.webhook_id!,
      });
      return json(deleted);
    },
  },
});
