// GET, POST /v2/clients/{c}/webhooks: a client's webhooks (admins); POST answers the signing secret this once.
import { getDatabase } from "@/lib/server/database";
import { defineRoute, json, readJson } from "@/lib/server/http/route";
import { webhookCreateBody } from "@/lib/schemas/webhooks";
import { createWebhook, listWebhooks } from "@/lib/server/webhooks/webhooks";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: {
    scope: "admin",
    handler: async (ctx) =>
      json(await listWebhooks(await getDatabase(), { clientId: ctx.params.client_id! })),
  },
  POST: {
    scope: "admin",
    handler: async (ctx) => {
      const body = await readJson(ctx, webhookCreateBody);
      const clientId = ctx.params.client_id!;
      const created = await createWebhook(await getDatabase(), {
        actor: ctx.actor,
        meta: ctx,
        clientId,
        body,
      });
      return json(created, {
        status: 201,
        headers: { location: `/v2/clients/${clientId}/webhooks/${created.id}` },
      });
    },
  },
});
