// A client's webhooks: its domains' changes POSTed to a URL, with their deliveries.
import "server-only";
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
import { family, ids } from "./define";

const op = family("Webhooks");

export const listWebhooks = op.get({
  path: "/v2/clients/{client_id}/webhooks",
  operationId: "listWebhooks",
  summary: "List a client's webhooks",
  description: "Newest first; never the secret. Not paginated.",
  scope: "admin",
  answers: { description: "The client's webhooks", schema: webhookList },
  read: ({ db, params }) => webhooks.listWebhooks(db, ids(params)),
});

export const createWebhook = op.create({
  path: "/v2/clients/{client_id}/webhooks",
  operationId: "createWebhook",
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
  answers: { description: "Webhook made", schema: webhookCreated },
  errors: {
    422: "Semantically invalid request — the URL's host is refused (not allowed by WEBHOOK_ALLOWED_HOSTS, a private, loopback, link-local or metadata address, or not resolvable).",
  },
  write: ({ db, actor, meta, params, body }) =>
    webhooks.createWebhook(db, { actor, meta, ...ids(params), body }),
  located: (webhook, { params }) => [
    getWebhook,
    { client_id: params.client_id, webhook_id: webhook.id },
  ],
});

export const getWebhook = op.get({
  path: "/v2/clients/{client_id}/webhooks/{webhook_id}",
  operationId: "getWebhook",
  summary: "Get one webhook",
  description: "Never the secret.",
  scope: "admin",
  answers: { description: "The webhook", schema: webhookRow },
  read: ({ db, params }) => webhooks.getWebhook(db, ids(params)),
});

export const deleteWebhook = op.delete({
  path: "/v2/clients/{client_id}/webhooks/{webhook_id}",
  operationId: "deleteWebhook",
  summary: "Delete a webhook",
  description: "Stops its deliveries at once and drops their records. Answers the deleted webhook.",
  scope: "admin",
  answers: { description: "The deleted webhook", schema: webhookRow },
  write: ({ db, actor, meta, params }) =>
    webhooks.deleteWebhook(db, { actor, meta, ...ids(params) }),
});

export const listWebhookDeliveries = op.get({
  path: "/v2/clients/{client_id}/webhooks/{webhook_id}/deliveries",
  operationId: "listWebhookDeliveries",
  summary: "A webhook's deliveries, newest first",
  description:
    "Each with its change cursor, attempts, status (`pending`, `succeeded`, `failed`), the last response code and, while pending, the next retry.",
  scope: "admin",
  query: webhookDeliveriesQuery,
  answers: { description: "The latest deliveries", schema: webhookDeliveryList },
  read: ({ db, params, query }) =>
    webhooks.listDeliveries(db, { ...ids(params), limit: query.limit }),
});

export const retryWebhookDelivery = op.post({
  path: "/v2/clients/{client_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/retry",
  operationId: "retryWebhookDelivery",
  summary: "Send a delivery again now",
  description:
    "Re-queues the delivery (any status) to be sent at once, with the same `X-Webhook-Id`, and retried for another 24 h if it fails. Per domain, it is sent before any later change still pending for this webhook.",
  scope: "admin",
  answers: { description: "The re-queued delivery", schema: webhookDelivery },
  write: ({ db, actor, meta, params }) =>
    webhooks.retryDelivery(db, { actor, meta, ...ids(params) }),
});
