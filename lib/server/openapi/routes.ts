// The operations not yet defined with defineOperation (lib/server/http/operation.ts): their documentation only, the
// handlers are in their route files. lib/server/operations/index.ts places each in the one ordered list of operations.
import "server-only";
import { z } from "zod";
import type { OperationSpec } from "@/lib/server/http/operation";
import { ERROR_DESCRIPTIONS } from "@/lib/server/operations/shared";
import { auditEntry, auditQuery } from "@/lib/schemas/audit";
import {
  webhookCreateBody,
  webhookCreated,
  webhookDeliveriesQuery,
  webhookDelivery,
  webhookDeliveryList,
  webhookList,
  webhookRow,
} from "@/lib/schemas/webhooks";
import { page, paginationQuery } from "@/lib/schemas/common";

const auditPage = page(auditEntry, "AuditPage");

const healthLive = z
  .object({
    status: z.literal("ok"),
    version: z.string().meta({ description: "The app's semantic version (package.json's)" }),
    api: z.literal("v2").meta({ description: "The API's major version: its path prefix" }),
  })
  .meta({ id: "Liveness" });
const healthReady = z
  .object({ status: z.literal("ready"), database: z.string() })
  .meta({ id: "Readiness" });
const openApiDocument = z
  .record(z.string(), z.unknown())
  .meta({ description: "An OpenAPI 3.1 document" });

const listAuditQuery = auditQuery.extend(paginationQuery.shape);

export const LEGACY_ROUTES: readonly OperationSpec[] = [
  {
    method: "GET",
    path: "/v2/clients/{client_id}/webhooks",
    operationId: "listWebhooks",
    tag: "Webhooks",
    summary: "List a client's webhooks",
    description: "Newest first; never the secret. Not paginated.",
    scope: "admin",
    success: { 200: { description: "The client's webhooks", schema: webhookList } },
    errors: { 404: ERROR_DESCRIPTIONS[404] },
  },
  {
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
      404: ERROR_DESCRIPTIONS[404],
      422: "Semantically invalid request — the URL's host is refused (not allowed by WEBHOOK_ALLOWED_HOSTS, a private, loopback, link-local or metadata address, or not resolvable).",
    },
  },
  {
    method: "GET",
    path: "/v2/clients/{client_id}/webhooks/{webhook_id}",
    operationId: "getWebhook",
    tag: "Webhooks",
    summary: "Get one webhook",
    description: "Never the secret.",
    scope: "admin",
    success: { 200: { description: "The webhook", schema: webhookRow } },
    errors: { 404: ERROR_DESCRIPTIONS[404] },
  },
  {
    method: "DELETE",
    path: "/v2/clients/{client_id}/webhooks/{webhook_id}",
    operationId: "deleteWebhook",
    tag: "Webhooks",
    summary: "Delete a webhook",
    description:
      "Stops its deliveries at once and drops their records. Answers the deleted webhook.",
    scope: "admin",
    success: { 200: { description: "The deleted webhook", schema: webhookRow } },
    errors: { 404: ERROR_DESCRIPTIONS[404] },
  },
  {
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
    errors: { 404: ERROR_DESCRIPTIONS[404] },
  },
  {
    method: "POST",
    path: "/v2/clients/{client_id}/webhooks/{webhook_id}/deliveries/{delivery_id}/retry",
    operationId: "retryWebhookDelivery",
    tag: "Webhooks",
    summary: "Send a delivery again now",
    description:
      "Re-queues the delivery (any status) to be sent at once, with the same `X-Webhook-Id`, and retried for another 24 h if it fails. Per domain, it is sent before any later change still pending for this webhook.",
    scope: "admin",
    success: { 200: { description: "The re-queued delivery", schema: webhookDelivery } },
    errors: { 404: ERROR_DESCRIPTIONS[404] },
  },
  {
    method: "GET",
    path: "/v2/audit",
    operationId: "listAuditEntries",
    tag: "Audit",
    summary: "Read the audit log, newest first",
    description:
      "Who wrote what, when and why (`reason`), with before and after; filtered by `actor`, `action`, `entity_type`, `entity_id`, `client_id` and the time range `since` (inclusive) to `until` (exclusive), newest first with cursor paging. With `Accept: text/csv` (or `format=csv`) it answers every matching entry as a streamed CSV download (RFC 4180, CRLF, a header row; `before`/`after` as JSON; a cell starting with = + - @ is prefixed with ' so spreadsheets don't run it). A caller limited to some clients sees only those clients' entries.",
    scope: "admin",
    query: listAuditQuery,
    success: { 200: { description: "A page of audit entries", schema: auditPage } },
    errors: {
      403: "Authenticated caller lacks the permission required for this operation, or `client_id` names a client it may not access.",
    },
  },
  {
    method: "GET",
    path: "/v2/health/live",
    operationId: "getLiveness",
    tag: "Health",
    summary: "Liveness: answers without touching the database",
    description:
      "For a load balancer or orchestrator: 200 as long as the process serves HTTP. Also says which version runs, so a rolling upgrade can be watched instance by instance.",
    scope: null,
    success: { 200: { description: "The process is up", schema: healthLive } },
  },
  {
    method: "GET",
    path: "/v2/health/ready",
    operationId: "getReadiness",
    tag: "Health",
    summary: "Readiness: the database answers and every migration is applied",
    description: "For a load balancer: route traffic here only while this answers 200.",
    scope: null,
    success: { 200: { description: "Ready to serve", schema: healthReady } },
    errors: { 503: "The database is unreachable or migrations are not all applied yet." },
  },
  {
    method: "GET",
    path: "/v2/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "Meta",
    summary: "This OpenAPI 3.1 document",
    description:
      "Generated from the zod schemas that validate requests, so it cannot drift from what the routes accept. The page `/docs/api` renders it.",
    scope: null,
    success: {
      200: { description: "The OpenAPI document of every /v2 route", schema: openApiDocument },
    },
  },
];
