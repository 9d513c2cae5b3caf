// A client's webhooks (/v2/clients/{c}/webhooks) and their deliveries.
import { z } from "zod";
import { isoDateTime, list } from "./common";

export const webhookEvent = z.enum(["assignment", "service", "change_request", "rollout"]);

export const webhookCreateBody = z
  .strictObject({
    url: z
      .string()
      .trim()
      .min(1, "give the URL the deliveries are POSTed to")
      .max(2048, "use at most 2048 characters")
      .meta({
        description:
          "http(s) URL the deliveries are POSTed to. Its host must be allowed by the server's WEBHOOK_ALLOWED_HOSTS setting; cloud metadata and link-local addresses are always refused",
      }),
    events: z
      .array(webhookEvent)
      .min(1, 'choose at least one of "assignment", "service", "change_request", "rollout"')
      .max(3)
      .meta({ description: "Which kinds of change to deliver" }),
    description: z.string().trim().max(500, "use at most 500 characters").optional(),
  })
  .meta({ id: "WebhookCreate" });
export type WebhookCreateBody = z.input<typeof webhookCreateBody>;

export const webhookRow = z
  .object({
    id: z.uuid(),
    client_id: z.string(),
    url: z.string(),
    events: z.array(webhookEvent),
    description: z.string().nullable(),
    created_by: z.string(),
    created_at: isoDateTime,
  })
  .meta({ id: "Webhook" });
export type Webhook = z.infer<typeof webhookRow>;

export const webhookList = list(webhookRow, "WebhookList");

export const webhookCreated = webhookRow
  .extend({
    secret: z.string().meta({
      description:
        'The signing secret, shown this once: verify `X-Signature: t=<unix seconds>,v1=<hex>` as HMAC-SHA256 of "<t>.<raw body>" keyed with it',
    }),
  })
  .meta({ id: "WebhookCreated" });
export type WebhookCreated = z.infer<typeof webhookCreated>;

export const webhookDelivery = z
  .object({
    id: z.uuid().meta({
      description: "The idempotency id, sent as `X-Webhook-Id` on every attempt of this delivery",
    }),
    domain_id: z.string(),
    cursor: z.string().meta({ description: "The change's cursor in its domain's feed" }),
    status: z.enum(["pending", "succeeded", "failed"]).meta({
      description:
        "`pending` (waiting for its turn or a retry), `succeeded` (the receiver answered 2xx) or `failed` (gave up after 24 h)",
    }),
    attempt: z.number().int().meta({ description: "Attempts made so far" }),
    response_code: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The HTTP status of the last attempt; null if none or no answer" }),
    error: z
      .string()
      .nullable()
      .meta({ description: "Why the last attempt failed (no answer, refused host, …)" }),
    next_retry_at: isoDateTime
      .nullable()
      .meta({ description: "When a pending delivery is tried next; null once finished" }),
    last_attempt_at: isoDateTime.nullable(),
    created_at: isoDateTime,
  })
  .meta({ id: "WebhookDelivery" });
export type WebhookDelivery = z.infer<typeof webhookDelivery>;

export const webhookDeliveryList = list(webhookDelivery, "WebhookDeliveryList");

export const webhookDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
