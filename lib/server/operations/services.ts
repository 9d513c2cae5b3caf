// A domain's services: their provided features and status.
import "server-only";
import { created, defineOperation } from "@/lib/server/http/operation";
import { APPROVAL_BYPASS_HEADER, parseApprovalBypass } from "@/lib/server/change-requests/policy";
import { json } from "@/lib/server/http/route";
import {
  getService as readService,
  listServices as readServices,
} from "@/lib/server/services/read-services";
import {
  createService as writeService,
  patchService as writeServicePatch,
} from "@/lib/server/services/write-services";
import { page, paginationQuery } from "@/lib/schemas/common";
import {
  serviceCreateBody,
  serviceListItem,
  serviceListQuery,
  servicePatchBody,
  serviceRow,
} from "@/lib/schemas/services";
import { ERROR_DESCRIPTIONS } from "./shared";

const servicePage = page(serviceListItem, "ServicePage");
const listServicesQuery = serviceListQuery.extend(paginationQuery.shape);

export const listServices = defineOperation({
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
  queryLists: ["feature"],
  success: { 200: { description: "A page of services", schema: servicePage } },
  errors: {
    404: ERROR_DESCRIPTIONS[404],
    422: "Semantically invalid request — `compatible_with` names a model or a model version the registry does not have.",
  },
  handler: async ({ db, params, query }) =>
    json(await readServices(db, { clientId: params.client_id, domainId: params.domain_id }, query)),
});

export const createService = defineOperation({
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
  handler: async ({ db, actor, meta, params, body, dryRun, request }) => {
    const { client_id, domain_id } = params;
    const row = await writeService(
      db,
      {
        clientId: client_id,
        domainId: domain_id,
        body,
        actor,
        meta,
        bypass: parseApprovalBypass(request.headers.get(APPROVAL_BYPASS_HEADER)),
      },
      { dryRun },
    );
    return created(getService, { client_id, domain_id, service_id: row.service_id }, row);
  },
});

export const getService = defineOperation({
  method: "GET",
  path: "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}",
  operationId: "getService",
  tag: "Services",
  summary: "Get a service",
  description: "The service's provided features and status (`active` or `departed`).",
  scope: "services:read",
  success: { 200: { description: "The service", schema: serviceRow } },
  errors: { 404: ERROR_DESCRIPTIONS[404] },
  handler: async ({ db, params }) =>
    json(
      await readService(db, {
        clientId: params.client_id,
        domainId: params.domain_id,
        serviceId: params.service_id,
      }),
    ),
});

export const patchService = defineOperation({
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
  handler: async ({ db, actor, meta, params, body, dryRun, request }) =>
    json(
      await writeServicePatch(
        db,
        {
          clientId: params.client_id,
          domainId: params.domain_id,
          serviceId: params.service_id,
          patch: body,
          actor,
          meta,
          bypass: parseApprovalBypass(request.headers.get(APPROVAL_BYPASS_HEADER)),
        },
        { dryRun },
      ),
    ),
});
