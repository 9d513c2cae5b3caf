// The operations not yet defined with defineOperation (lib/server/http/operation.ts): their documentation only, the
// handlers are in their route files. lib/server/operations/index.ts places each in the one ordered list of operations.
import "server-only";
import { z } from "zod";
import type { OperationSpec } from "@/lib/server/http/operation";
import { ERROR_DESCRIPTIONS, PEOPLE_403, TOKENS_403 } from "@/lib/server/operations/shared";
import {
  apiTokenAdoptBody,
  apiTokenCreateBody,
  apiTokenCreated,
  apiTokenList,
  apiTokenRow,
  meResponse,
  userCreateBody,
  userCreated,
  userList,
  userPatchBody,
  passwordChangeBody,
  sessionsEnded,
  userRow,
} from "@/lib/schemas/access";
import { assignmentKeyList } from "@/lib/schemas/assignment-keys";
import {
  assignmentListQuery,
  assignmentPostBody,
  assignmentPutBody,
  assignmentRevision,
  assignmentRow,
  effectiveAssignment,
  effectiveQuery,
  previewResponse,
} from "@/lib/schemas/assignments";
import {
  changePage,
  changesQuery,
  domainEffectivePage,
  domainEffectiveQuery,
} from "@/lib/schemas/changes";
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
import {
  serviceCreateBody,
  serviceListItem,
  serviceListQuery,
  servicePatchBody,
  serviceRow,
} from "@/lib/schemas/services";

const assignmentPage = page(assignmentRow, "AssignmentPage");
const revisionPage = page(assignmentRevision, "AssignmentRevisionPage");
const servicePage = page(serviceListItem, "ServicePage");
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

const listAssignmentsQuery = assignmentListQuery.extend(paginationQuery.shape);
const listServicesQuery = serviceListQuery.extend(paginationQuery.shape);
const listAuditQuery = auditQuery.extend(paginationQuery.shape);

// The seed page's example names svc-001 on service-1's route, which that route refuses (400: a service route patches
// only its own service), so the example patches the path's service instead.
const SEED_EXAMPLE = {
  model_id: "example-model",
  model_version: "2.0.0",
  service_updates: [{ service_id: "service-1", static_features: { route: "route-a" } }],
};

type AssignmentScope = "service" | "domain";

function assignmentRoutes(scope: AssignmentScope): OperationSpec[] {
  const isService = scope === "service";
  const base = isService
    ? "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments"
    : "/v2/clients/{client_id}/domains/{domain_id}/assignments";
  const tag = isService ? "Service assignments" : "Domain default assignments";
  const noun = isService ? "service assignment" : "domain default assignment";
  const Noun = isService ? "Service assignment" : "Domain default assignment";
  const id = (verb: string) =>
    `${verb}${isService ? "ServiceAssignment" : "DomainDefaultAssignment"}`;
  const appliesTo = isService
    ? "It applies to the path's service only; `service_updates` may name only that service."
    : "It applies to every non-departed service of the domain without its own active assignment for the key; `service_updates` may name any of them.";
  const serviceUpdatesScope =
    " A body whose `service_updates` is not empty changes services: it needs `services:write` as well as `assignments:write` (else 403, nothing written).";
  return [
    {
      method: "GET",
      path: base,
      operationId: id("list") + "s",
      tag,
      summary: `List ${noun}s`,
      description:
        "Active revisions by default; `?status=archived|all` for history. Sorted by key, newest revision first.",
      scope: "assignments:read",
      query: listAssignmentsQuery,
      success: { 200: { description: `A page of ${noun} revisions`, schema: assignmentPage } },
      errors: { 404: ERROR_DESCRIPTIONS[404] },
    },
    {
      method: "POST",
      path: base,
      operationId: id("create"),
      tag,
      summary: `Create the first revision of a ${noun}`,
      description: `\`assignment_key\` is required in the body. ${appliesTo}${serviceUpdatesScope} Checked like the keyed PUT; 409 if the key already has an active revision.`,
      scope: "assignments:write",
      dryRun: true,
      body: { schema: assignmentPostBody },
      success: {
        201: {
          description: `${Noun} created`,
          schema: assignmentRow,
          headers: ["Location", "ETag"],
        },
      },
      errors: {
        404: ERROR_DESCRIPTIONS[404],
        409: "The assignment key already has an active revision; PUT to its keyed route to change it.",
        422: ERROR_DESCRIPTIONS[422],
      },
      blocking422: true,
    },
    {
      method: "GET",
      path: `${base}/{assignment_key}`,
      operationId: id("get"),
      tag,
      summary: `Get the active revision of a ${noun}`,
      description:
        "The ETag header names the revision; send it back in If-Match on a PUT, or in If-None-Match to get a 304 while it is still the active one.",
      scope: "assignments:read",
      ifNoneMatch: true,
      success: {
        200: { description: "The active revision", schema: assignmentRow, headers: ["ETag"] },
      },
      errors: { 404: "Requested resource was not found, or the key has no active revision." },
    },
    {
      method: "PUT",
      path: `${base}/{assignment_key}`,
      operationId: id("upsert"),
      tag,
      summary: isService
        ? "Create or update a service model assignment by key"
        : "Create or update a domain default model assignment by key",
      description:
        `Archives the previous active revision and inserts a new one in one transaction; a request that changes nothing returns the active revision and writes nothing. ${appliesTo}${serviceUpdatesScope} ` +
        "Every incompatible service is listed in the 422's `blocking_services`, and nothing is written.",
      scope: "assignments:write",
      dryRun: true,
      ifMatch: true,
      body: { schema: assignmentPutBody, ...(isService ? { example: SEED_EXAMPLE } : {}) },
      success: {
        200: { description: `${Noun} upserted`, schema: assignmentRow, headers: ["ETag"] },
      },
      errors: {
        404: ERROR_DESCRIPTIONS[404],
        409: "Another write to the same assignment key happened at the same time; retry the request.",
        422: ERROR_DESCRIPTIONS[422],
      },
      blocking422: true,
    },
    {
      method: "GET",
      path: `${base}/{assignment_key}/revisions`,
      operationId: id("listRevisionsOf"),
      tag,
      summary: `List every revision of a ${noun} key, newest first`,
      description:
        "Archived revisions included, each with its revision number, author and time: the key's history.",
      scope: "assignments:read",
      query: paginationQuery,
      success: {
        200: {
          description:
            "A page of revisions, archived ones included, each with the service patches written with it",
          schema: revisionPage,
        },
      },
      errors: { 404: ERROR_DESCRIPTIONS[404] },
    },
    ...(isService
      ? ([
          {
            method: "GET",
            path: `${base}/{assignment_key}/effective`,
            operationId: "getEffectiveAssignment",
            tag,
            summary: "Get the effective assignment of a service for a key",
            description:
              "The service's own active assignment, else the domain's active default; `?at=` answers for a past time.",
            scope: "assignments:read",
            query: effectiveQuery,
            ifNoneMatch: true,
            success: {
              200: {
                description: "The effective revision and where it comes from",
                schema: effectiveAssignment,
                headers: ["ContentETag"],
              },
            },
            errors: {
              404: "Requested resource was not found, or no assignment is effective for the key.",
            },
          },
        ] satisfies OperationSpec[])
      : ([
          {
            method: "GET",
            path: `${base}/{assignment_key}/effective`,
            operationId: "listDomainEffectiveAssignments",
            tag,
            summary: "Every active service's effective assignment for a key, in one answer",
            description:
              "For each active service of the domain (sorted by id), its own active assignment for the key, else the domain default; services with neither are left out. " +
              "Up to 10,000 items a page (the default). The strong ETag covers the whole page: revalidate with If-None-Match. " +
              "`X-Change-Cursor` is the domain's change feed cursor the answer was read at: follow `…/changes?after=` from it to hear of every later change.",
            scope: "assignments:read",
            query: domainEffectiveQuery,
            ifNoneMatch: true,
            success: {
              200: {
                description: "A page of services and their effective assignments",
                schema: domainEffectivePage,
                headers: ["ContentETag", "X-Change-Cursor"],
              },
            },
            errors: { 404: ERROR_DESCRIPTIONS[404] },
          },
          {
            method: "POST",
            path: `${base}/{assignment_key}/preview`,
            operationId: "previewDomainDefaultAssignment",
            tag,
            summary: "Preview a domain default change (its blast radius)",
            description:
              "Takes the domain PUT's body and writes nothing: for every service the change applies to, its effective model before and after, and whether it stays compatible.",
            scope: "assignments:read",
            body: { schema: assignmentPutBody },
            success: { 200: { description: "What the PUT would change", schema: previewResponse } },
            errors: { 404: ERROR_DESCRIPTIONS[404], 422: ERROR_DESCRIPTIONS[422] },
          },
        ] satisfies OperationSpec[])),
  ];
}

export const LEGACY_ROUTES: readonly OperationSpec[] = [
  ...assignmentRoutes("service"),
  ...assignmentRoutes("domain"),
  {
    method: "GET",
    path: "/v2/assignments/{assignment_id}",
    operationId: "getAssignmentRevision",
    tag: "Assignments",
    summary: "Get any assignment revision by id",
    description:
      "Archived revisions too, so jobs can read the revision they ran on. Another client's revision is a 404. " +
      'ETag: `"<assignment_id>"` while the revision is active (usable in If-Match), a hash of it once archived; If-None-Match answers 304 while it is unchanged.',
    scope: "assignments:read",
    ifNoneMatch: true,
    success: {
      200: {
        description: "The revision, with the service patches written with it",
        schema: assignmentRevision,
        headers: ["ContentETag"],
      },
    },
    errors: { 404: ERROR_DESCRIPTIONS[404] },
  },
  {
    method: "GET",
    path: "/v2/clients/{client_id}/domains/{domain_id}/assignment-keys",
    operationId: "listAssignmentKeys",
    tag: "Assignments",
    summary: "List the assignment keys in use in a domain",
    description:
      "Every key with an active domain default or service override, sorted by key: each with its active domain default (null when only services assign it) and how many services override it. Not paginated.",
    scope: "assignments:read",
    success: {
      200: { description: "The domain's assignment keys", schema: assignmentKeyList },
    },
    errors: { 404: ERROR_DESCRIPTIONS[404] },
  },
  {
    method: "GET",
    path: "/v2/clients/{client_id}/domains/{domain_id}/changes",
    operationId: "listDomainChanges",
    tag: "Change feed",
    summary: "A domain's committed changes after a cursor (JSON), or a live stream of them (SSE)",
    description:
      "Every committed change to the domain's assignments and services, oldest first, each with its cursor (consecutive per domain, in commit order). " +
      "Poll with `?after=<next_cursor>`, or send `Accept: text/event-stream` to keep the connection open and receive each change as it commits.",
    scope: "assignments:read",
    query: changesQuery,
    eventStream:
      "Server-Sent Events: one event per change (`id:` its cursor, `event:` its kind, `data:` the change as JSON), a `: heartbeat` comment every 15 s. Reconnect with `Last-Event-ID` to resume after the last event received, without gaps or duplicates.",
    success: { 200: { description: "A page of changes", schema: changePage } },
    errors: {
      400: "Validation error — `after` or `Last-Event-ID` is not a cursor of this domain's feed, or `limit` is out of range.",
      404: ERROR_DESCRIPTIONS[404],
      429: "Too many open streams: a token, and a person's sessions together, may hold `CHANGE_STREAMS_PER_CREDENTIAL` (default 10) open across all instances; `Retry-After` says when to try again.",
    },
  },
  {
    method: "GET",
    path: "/v2/clients/{client_id}/domains/{domain_id}/services",
    operationId: "listServices",
    tag: "Services",
    summary: "List a domain's services with their provided features and status",
    description:
      "Filter by status, a substring of the id or name (`q`) and provided feature values (`feature`, repeatable: `?feature=route=route-a&feature=stops=12`). " +
      "`include=effective` adds each service's effective assignment per key; `compatible_with=<model_id>@<version>` adds each service's fit to that version's contract, and `compatible=true|false` then keeps only the services that do or do not fit.",
    scope: "services:read",
    query: listServicesQuery,
    success: { 200: { description: "A page of services", schema: servicePage } },
    errors: {
      404: ERROR_DESCRIPTIONS[404],
      422: "Semantically invalid request — `compatible_with` names a model or a model version the registry does not have.",
    },
  },
  {
    method: "POST",
    path: "/v2/clients/{client_id}/domains/{domain_id}/services",
    operationId: "createService",
    tag: "Services",
    summary: "Add a service to a domain",
    description:
      "Registers a service with its provided features, which must fit the contracts of the domain defaults that will apply to it (else 422 with `blocking_services`, nothing written).",
    scope: "services:write",
    dryRun: true,
    body: { schema: serviceCreateBody },
    success: { 201: { description: "Service created", schema: serviceRow, headers: ["Location"] } },
    errors: {
      404: ERROR_DESCRIPTIONS[404],
      409: "The service already exists in the domain; PATCH it instead.",
      422: "Semantically invalid request — e.g. domain not active, or feature contract mismatch.",
    },
    blocking422: true,
  },
  {
    method: "GET",
    path: "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}",
    operationId: "getService",
    tag: "Services",
    summary: "Get a service",
    description: "The service's provided features and status (`active` or `departed`).",
    scope: "services:read",
    success: { 200: { description: "The service", schema: serviceRow } },
    errors: { 404: ERROR_DESCRIPTIONS[404] },
  },
  {
    method: "PATCH",
    path: "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}",
    operationId: "patchService",
    tag: "Services",
    summary: "Patch a service's provided features, rename it or mark it departed",
    description:
      "`provided_features` is merged (a null value removes a key). A patch that would break a model version assigned to the service is a 422 with `blocking_services`.",
    scope: "services:write",
    dryRun: true,
    body: { schema: servicePatchBody },
    success: { 200: { description: "The updated service", schema: serviceRow } },
    errors: {
      404: ERROR_DESCRIPTIONS[404],
      422: "Semantically invalid request — e.g. domain not active, service departed, or feature contract mismatch.",
    },
    blocking422: true,
  },
  {
    method: "GET",
    path: "/v2/me",
    operationId: "getMe",
    tag: "Access",
    summary: "Who the caller is and what it may do",
    description:
      "The caller's subject, scopes, clients and console role (null for a machine token), and what those allow, for showing or hiding actions.",
    scope: "any",
    success: { 200: { description: "The caller", schema: meResponse } },
  },
  {
    method: "POST",
    path: "/v2/me/password",
    operationId: "changeOwnPassword",
    tag: "Access",
    summary: "Change one's own password",
    description:
      "For a person signed in to the console (session cookie). Needs the current password; wrong ones count towards " +
      "the account's sign-in limit (5 failures in 15 minutes, then 429 with Retry-After). Every session of the " +
      "person ends, this one too: sign in again with the new password. The new password must be 12 to 72 bytes.",
    scope: "any",
    body: { schema: passwordChangeBody },
    success: {
      200: { description: "Password changed; every session ended", schema: sessionsEnded },
    },
    errors: {
      403: "A machine token has no password.",
      422: "The current password is wrong, or the account signs in through single sign-on.",
      429: "Too many failed attempts for this account; see Retry-After.",
    },
  },
  {
    method: "DELETE",
    path: "/v2/me/sessions",
    operationId: "signOutEverywhere",
    tag: "Access",
    summary: "Sign out everywhere",
    description:
      "Ends every session of the calling person at once, on every device and app instance, this one included.",
    scope: "any",
    success: { 200: { description: "Every session ended", schema: sessionsEnded } },
    errors: { 403: "A machine token has no sessions." },
  },
  {
    method: "GET",
    path: "/v2/users",
    operationId: "listUsers",
    tag: "Access",
    summary: "List the console's people",
    description: "Sorted by email. Not paginated.",
    scope: "admin",
    success: { 200: { description: "Every person", schema: userList } },
    errors: { 403: PEOPLE_403 },
  },
  {
    method: "POST",
    path: "/v2/users",
    operationId: "createUser",
    tag: "Access",
    summary: "Add a person to the console",
    description:
      "Without `password` the server generates one and answers it in `password` this once; it is never shown again.",
    scope: "admin",
    body: { schema: userCreateBody },
    success: {
      201: { description: "Person added", schema: userCreated, headers: ["Location"] },
    },
    errors: { 403: PEOPLE_403, 409: "A person with this email already exists." },
  },
  {
    method: "GET",
    path: "/v2/users/{user_id}",
    operationId: "getUser",
    tag: "Access",
    summary: "Get a person",
    description: "One person's email, name, role and whether they are disabled. Never a password.",
    scope: "admin",
    success: { 200: { description: "The person", schema: userRow } },
    errors: { 403: PEOPLE_403, 404: ERROR_DESCRIPTIONS[404] },
  },
  {
    method: "PATCH",
    path: "/v2/users/{user_id}",
    operationId: "patchUser",
    tag: "Access",
    summary:
      "Change a person's role, name or password, disable or enable them, or allow or remove their single sign-on link",
    description:
      'Send at least one field. The console always keeps at least one enabled admin for all clients. Single sign-on never takes over a person with a password by email alone: `single_sign_on_link: "allow"` lets the next single sign-on with their email (verified by the identity provider) bind that identity to them, after which their role and clients follow the provider\'s claim; `"remove"` unbinds it and ends their sessions.',
    scope: "admin",
    body: { schema: userPatchBody },
    success: { 200: { description: "The updated person", schema: userRow } },
    errors: {
      403: PEOPLE_403,
      404: ERROR_DESCRIPTIONS[404],
      422: "Semantically invalid request — the change would demote or disable the last enabled admin.",
    },
  },
  {
    method: "GET",
    path: "/v2/tokens",
    operationId: "listApiTokens",
    tag: "Access",
    summary: "List every machine token (console, API and `npm run token` alike)",
    description:
      "Newest first; revoked and expired tokens included, with `last_used_at`. Never the JWT itself. Not paginated. A caller limited to some clients sees only the tokens limited to those clients.",
    scope: "admin",
    success: { 200: { description: "Every machine token", schema: apiTokenList } },
  },
  {
    method: "POST",
    path: "/v2/tokens",
    operationId: "createApiToken",
    tag: "Access",
    summary: "Make a machine token",
    description:
      "The response's `token` is the bearer JWT, shown this once: it is not stored. It expires in 90 days unless `expires_in_seconds` or `never_expires: true` says otherwise, and carries no scope or client its creator lacks.",
    scope: "admin",
    body: { schema: apiTokenCreateBody },
    success: {
      201: { description: "Token made", schema: apiTokenCreated, headers: ["Location"] },
    },
    errors: { 403: TOKENS_403 },
  },
  {
    method: "POST",
    path: "/v2/tokens/adopt",
    operationId: "adoptApiToken",
    tag: "Access",
    summary: "Adopt a legacy token minted without a record",
    description:
      "For a token that `npm run token` minted before 0.2.0 (signed with this server's secret, never recorded), which is refused with 401 until adopted. Records it under its own id (its `jti`) so it is accepted again, listed with its last use, revocable and expiring: in 90 days unless `expires_in_seconds` or `never_expires: true` says otherwise, and never after the JWT's own `exp`. Answers the record, not the JWT. A token that already has a record (made here, adopted, or revoked) answers 409; one not signed by this server, expired, or with a person's subject answers 400. The adopter must hold every scope and client the token carries.",
    scope: "admin",
    body: { schema: apiTokenAdoptBody },
    success: {
      201: { description: "Token adopted", schema: apiTokenRow, headers: ["Location"] },
    },
    errors: {
      403: TOKENS_403,
      409: "The token is already recorded (made here, adopted before, or revoked); nothing to adopt.",
    },
  },
  {
    method: "GET",
    path: "/v2/tokens/{token_id}",
    operationId: "getApiToken",
    tag: "Access",
    summary: "Get a machine token's record",
    description: "Never the JWT itself. A token of clients the caller may not touch answers 404.",
    scope: "admin",
    success: { 200: { description: "The token's record", schema: apiTokenRow } },
    errors: { 404: ERROR_DESCRIPTIONS[404] },
  },
  {
    method: "POST",
    path: "/v2/tokens/{token_id}/revoke",
    operationId: "revokeApiToken",
    tag: "Access",
    summary: "Revoke a machine token",
    description:
      "Idempotent: revoking a revoked token answers it unchanged. From the next request on, the token gets 401 on every route of this instance, and within 5 s on every other instance.",
    scope: "admin",
    success: { 200: { description: "The revoked token's record", schema: apiTokenRow } },
    errors: { 403: TOKENS_403, 404: ERROR_DESCRIPTIONS[404] },
  },
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
