// A domain's services: their provided features and status.
import "server-only";
import { APPROVAL_BYPASS_HEADER, parseApprovalBypass } from "@/lib/server/change-requests/policy";
import type { OperationContext } from "@/lib/server/http/operation";
import {
  getService as readService,
  listServices as readServices,
} from "@/lib/server/services/read-services";
import {
  createService as writeService,
  patchService as writeServicePatch,
  patchServices as writeServicesPatch,
} from "@/lib/server/services/write-services";
import { page, paginationQuery } from "@/lib/schemas/common";
import {
  MAX_BULK_SERVICES,
  serviceBulkPatchBody,
  serviceBulkPatchResult,
  serviceCreateBody,
  serviceListItem,
  serviceListQuery,
  servicePatchBody,
  serviceRow,
} from "@/lib/schemas/services";
import { family, ids } from "./define";

const servicePage = page(serviceListItem, "ServicePage");
const listServicesQuery = serviceListQuery.extend(paginationQuery.shape);
const DOMAIN = "/v2/clients/{client_id}/domains/{domain_id}";
const op = family("Services");

type Caller = Pick<
  OperationContext<typeof DOMAIN, unknown, unknown>,
  "actor" | "meta" | "params" | "request"
>;

/** A services write's domain and caller, with the approval bypass the caller may send. */
const writer = ({ actor, meta, params, request }: Caller) => ({
  clientId: params.client_id,
  domainId: params.domain_id,
  actor,
  meta,
  bypass: parseApprovalBypass(request.headers.get(APPROVAL_BYPASS_HEADER)),
});

export const listServices = op.get({
  path: `${DOMAIN}/services`,
  operationId: "listServices",
  summary: "List a domain's services with their provided features and status",
  description:
    "Filter by status, a substring of the id or name (`q`) and provided feature values (`feature`, repeatable: `?feature=route=route-a&feature=stops=12`). " +
    "`include=effective` adds each service's effective assignment per key; `compatible_with=<model_id>@<version>` adds each service's fit to that version's contract, and `compatible=true|false` then keeps only the services that do or do not fit.",
  scope: "services:read",
  query: listServicesQuery,
  queryLists: ["feature"],
  answers: { description: "A page of services", schema: servicePage },
  errors: {
    422: "Semantically invalid request — `compatible_with` names a model or a model version the registry does not have.",
  },
  read: ({ db, params, query }) => readServices(db, ids(params), query),
});

export const createService = op.create({
  path: `${DOMAIN}/services`,
  operationId: "createService",
  summary: "Add a service to a domain",
  description:
    "Registers a service with its provided features, which must fit the contracts of the domain defaults that will apply to it (else 422 with `blocking_services`, nothing written).",
  scope: "services:write",
  dryRun: true,
  body: { schema: serviceCreateBody },
  answers: { description: "Service created", schema: serviceRow },
  errors: {
    409: "The service already exists in the domain; PATCH it instead.",
    422: "Semantically invalid request — e.g. domain not active, or feature contract mismatch.",
  },
  blocking422: true,
  write: (ctx) => writeService(ctx.db, { ...writer(ctx), body: ctx.body }, { dryRun: ctx.dryRun }),
  located: (row, { params: { client_id, domain_id } }) => [
    getService,
    { client_id, domain_id, service_id: row.service_id },
  ],
});

/**
 * The bulk write's body limit: 10,000 items with realistic ids and features exceed the usual 1 MiB, as the domain
 * default's service_updates do (decision 080); the body is still read as a stream and cut off at the limit.
 */
export const SERVICES_BULK_MAX_BYTES = 16 * 1024 * 1024;

export const patchServices = op.patch({
  path: `${DOMAIN}/services`,
  operationId: "patchServices",
  summary: "Patch many services of a domain in one write, all or nothing",
  description:
    `Up to ${MAX_BULK_SERVICES.toLocaleString("en")} items, each the single PATCH's body (\`provided_features\` merged, a null removing a key; \`name\`; \`status: departed\`) plus \`service_id\`, each service at most once; the body may be up to 16 MiB. ` +
    "Each item is checked as the single PATCH checks it, and the whole write is refused if any item is: an unknown or departed service is a 422 naming it; a patch that would break a model version assigned to a service is a 422 with `blocking_services` (all of them). Nothing is written then. " +
    "Otherwise every change is written in one transaction, with one audit entry (`service.patch`, or `service.depart`) and one change-feed event per changed service, as the single PATCH writes them; an item that changes nothing writes nothing. " +
    "A domain whose change policy requires approvals refuses it with 403 naming the change-request route (`?dry_run=true` still answers; an all-clients admin may send `X-Approval-Bypass`). " +
    "A constant number of statements whatever the number of items. The answer has one result per item, in order.",
  scope: "services:write",
  dryRun: true,
  body: {
    schema: serviceBulkPatchBody,
    maxBytes: SERVICES_BULK_MAX_BYTES,
    example: {
      items: [
        { service_id: "service-1", provided_features: { route: "route-a" } },
        { service_id: "svc-001", provided_features: { route: "route-b", night_service: true } },
      ],
    },
  },
  answers: { description: "One result per item", schema: serviceBulkPatchResult },
  errors: {
    404: "The client or domain was not found.",
    413: "Request body too large: the limit for this route is 16 MiB.",
    422: "Nothing written — the domain is not active, an item names an unknown or departed service, or a patch would break a model version assigned to its service (`blocking_services`).",
  },
  blocking422: true,
  write: (ctx) =>
    writeServicesPatch(ctx.db, { ...writer(ctx), items: ctx.body.items }, { dryRun: ctx.dryRun }),
});

export const getService = op.get({
  path: `${DOMAIN}/service/{service_id}`,
  operationId: "getService",
  summary: "Get a service",
  description: "The service's provided features and status (`active` or `departed`).",
  scope: "services:read",
  answers: { description: "The service", schema: serviceRow },
  read: ({ db, params }) => readService(db, ids(params)),
});

export const patchService = op.patch({
  path: `${DOMAIN}/service/{service_id}`,
  operationId: "patchService",
  summary: "Patch a service's provided features, rename it or mark it departed",
  description:
    "`provided_features` is merged (a null value removes a key). A patch that would break a model version assigned to the service is a 422 with `blocking_services`.",
  scope: "services:write",
  dryRun: true,
  body: { schema: servicePatchBody },
  answers: { description: "The updated service", schema: serviceRow },
  errors: {
    422: "Semantically invalid request — e.g. domain not active, service departed, or feature contract mismatch.",
  },
  blocking422: true,
  write: (ctx) =>
    writeServicePatch(
      ctx.db,
      { ...writer(ctx), serviceId: ctx.params.service_id, patch: ctx.body },
      { dryRun: ctx.dryRun },
    ),
});
