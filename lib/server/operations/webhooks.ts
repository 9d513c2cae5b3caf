// A client's webhooks: its domains' changes POSTed to a URL, with their deliveries.
import "server-only";
import { created, defineOperation } from "@/lib/server/http/operation";
import { json } from "@/lib/server/http/route";
import * as webhooks from "@/lib/server/webhooks/webhooks";
import {
  webhookCreateBody,
  webhookCreated,
  webhookDeliveriesQuery,
  webhookDelivery,
  webhookDeliveryList,
  webhookList,
  webhookRow,
} from "@/lib/schemas/webhooks";

export const listWebhooks = defineOperation({
  method: "GET",
  path: "/v2/clients/{client_id}/webhooks",
  operationId: "listWebhooks",
  tag: "Webhooks",
  summary: "List a client's webhooks",
  description: "Newest first; never the secret. Not paginated.",
  scope: "admin",
  success: { 200: { description: "The client's webhooks", schema: webhookList } },
  handler: async ({ db, params }) =>
    json(await webhooks.listWebhooks(db, { clientId: params.client_id })),
});

export const createWebhook = defineOperation({
  method: "POST",
  path: "/v2/clients/{client_id}/webhooks",
  operationId: "createWebhook",
  tag: "Webhooks",
  summary: "Make a webhook: the client's domains' changes, POSTed to a URL",
  description:
    "Every change committed to one of the client's domains after this call (of the chosen kinds) is POSTed to `url`, at least once, in commit order per domain, with `X-Webhook-Id` (the delivery's idempotency id, the same on every retry) and `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" keyed with the secret>`. Failed deliveries are retried with exponential backoff for 24 h. The response's `secret` is shown this once. The URL's host is resolved and checked: cloud metadata and link-local addresses are always refused; loopback and private ones unless the server's `WEBHOOK_ALLOWED_HOSTS` lists them; with `WEBHOOK_ALLOWED_HOSTS` set to a list, only the hosts listed.",
  scope: "admin",
  body: {
    schema: webhookCreateBody,
    example: {
      url: "https://hooks.example.com/model-console",
      events: ["assignment", "service"],
    },
  },
  success: {
    201: { description: "Webhook made", schema: webhookCreated, headers: ["Location"] },
  },
  errors: {
    422: "Semantically invalid request — the URL's host is refused (not allowed by WEBHOOK_ALLOWED_HOSTS, a private, loopback, link-local or metadata address, or not resolvable).",
  },
  handler: async ({ db, actor, meta, params, body }) => {
    const clientId = params.client_id;
    const webhook = await webhooks.createWebhook(db, { actor, meta, clientId, body });
    return created(getWebhook, { client_id: clientId, webhook_id: webhook.id }, webhook);
  },
});

export const getWebhook = defineOperation({
  method: "GET",
  path: "/v2/clients/{client_id}/webhooks/{webhook_id}",
  operationId: "getWebhook",
  tag: "Webhooks",
  summary: "Get one webhook",
  description: "Never the secret.",
  scope: "admin",
  success: { 200: { description: "The webhook", schema: webhookRow } },
  handler: async ({ db, params }) =>
    json(
      await webhooks.getWebhook(db, { clientId: params.client_id, webhookId: params.webhook_id }),
    ),
});

export const deleteWebhook = defineOperation({
  method: "DELETE",
  path: "/v2/clients/{client_id}/webhooks/{webhook_id}",
  operationId: "deleteWebhook",
  tag: "Webhooks",
  summary: "Delete a webhook",
  description: "Stops its deliveries at once and drops their records. Answers the deleted webhook.",
  scope: "admin",
  success: { 200: { description: "The deleted webhook", schema: webhookRow } },
  handler: async ({ db, actor, meta, params }) =>
    json(
      await webhooks.deleteWebhook(db, {
        actor,
        meta,
        clientId: params.client_id,
        webhookId: params.webhook_id,
      }),
    ),
});

export const listWebhookDeliveries = defineOperation({
  method: "GET",
  path: "/v2/clients/{client_id}/webhooks/{webhook_id}/deliveries",
  operationId: "listWebhookDeliveries",
  tag: "Webhooks",
  summary: "A webhook's deliveries, newest first",
  description:
    "Each with its change cursor, attempts, status (`pending`, `succeeded`, `failed`), the last response code and, while pending, the next retry.",
  scope: "admin",
  query: webhookDeliveriesQuery,
  success: { 200: { description: "The latest deliveries", schema: webhookDeliveryList } },
  handler: async ({ db, params, query }) =>
    json(
      await webhooks.listDeliveries(db, {
        clientId: params.client_id,
        webhookId: params.webhook_id,
        limit: query.limit,
      }),
    ),
});

export const retryWebhookDelivery = defineOperation({
  method: "POST",
  path: "/v2/clients/{client_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/retry",
  operationId: "retryWebhookDelivery",
  tag: "Webhooks",
  summary: "Send a delivery again now",
  description:
    "Re-queues the delivery (any status) to be sent at once, with the same `X-Webhook-Id`, and retried for another 24 h if it fails. Per domain, it is sent before any later change still pending for this webhook.",
  scope: "admin",
  success: { 200: { description: "The re-queued delivery", schema: webhookDelivery } },
  handler: async ({ db, actor, meta, params }) =>
    json(
      await webhooks.retryDelivery(db, {
        actor,
        meta,
        clientId: params.client_id,
        webhookId: params.webhook_id,
        deliveryId: params.delivery_id,
      }),
    ),
});
