// The tenancy operations: clients and their domains.
import "server-only";
import { created, defineOperation } from "@/lib/server/http/operation";
import { json } from "@/lib/server/http/route";
import * as tenancy from "@/lib/server/tenancy/tenancy";
import { page, paginationQuery } from "@/lib/schemas/common";
import {
  clientCreateBody,
  clientPatchBody,
  clientRow,
  domainCreateBody,
  domainPatchBody,
  domainRow,
} from "@/lib/schemas/tenancy";
import { PEOPLE_403 } from "./shared";

const clientPage = page(clientRow, "ClientPage");
const domainPage = page(domainRow, "DomainPage");

export const listClients = defineOperation({
  method: "GET",
  path: "/v2/clients",
  operationId: "listClients",
  tag: "Tenancy",
  summary: "List the clients the caller may access",
  description:
    'Every client the caller\'s token or role names (all of them for `clients: "*"`), sorted by id.',
  scope: "any",
  query: paginationQuery,
  success: { 200: { description: "A page of clients", schema: clientPage } },
  handler: async ({ db, actor, query }) => json(await tenancy.listClients(db, { actor, ...query })),
});

export const getClient = defineOperation({
  method: "GET",
  path: "/v2/clients/{client_id}",
  operationId: "getClient",
  tag: "Tenancy",
  summary: "Get a client",
  description: "A client the caller may access; a client outside the caller's clients is a 403.",
  scope: "any",
  success: { 200: { description: "The client", schema: clientRow } },
  handler: async ({ db, params }) =>
    json(await tenancy.getClient(db, { clientId: params.client_id })),
});

export const createClient = defineOperation({
  method: "POST",
  path: "/v2/clients",
  operationId: "createClient",
  tag: "Tenancy",
  summary: "Create a client",
  description: "Adds a tenant. Needs a caller that may touch every client (clients `*`).",
  scope: "admin",
  dryRun: true,
  body: { schema: clientCreateBody },
  success: { 201: { description: "Client created", schema: clientRow, headers: ["Location"] } },
  errors: { 403: PEOPLE_403, 409: "The client already exists." },
  handler: async ({ db, actor, meta, body, dryRun }) => {
    const row = await tenancy.createClient(db, { actor, meta, body }, { dryRun });
    return created(getClient, { client_id: row.client_id }, row);
  },
});

export const patchClient = defineOperation({
  method: "PATCH",
  path: "/v2/clients/{client_id}",
  operationId: "patchClient",
  tag: "Tenancy",
  summary:
    "Rename a client, set whether every change to its data needs a reason, or how many approvals",
  description:
    "With `require_change_reason: true`, every write to the client's data (domains, services, assignments, the client itself) without an `X-Change-Reason` header is refused with 422. The change is recorded in the audit log; switching it on is itself the first change that needs a reason. " +
    "`change_policy: { required_approvals: 0-5, allow_self_approval }` (four eyes): above 0, direct writes to the client's assignments and services answer 403 and changes go through change requests (a domain's own policy overrides it).",
  scope: "admin",
  body: { schema: clientPatchBody },
  success: { 200: { description: "The updated client", schema: clientRow } },
  errors: {
    422: "The client requires a change reason and none was sent.",
  },
  handler: async ({ db, actor, meta, params, body }) =>
    json(await tenancy.patchClient(db, { actor, meta, clientId: params.client_id, body })),
});

export const listDomains = defineOperation({
  method: "GET",
  path: "/v2/clients/{client_id}/domains",
  operationId: "listDomains",
  tag: "Tenancy",
  summary: "List a client's domains",
  description:
    "The client's domains with their status and how many services each has, sorted by id.",
  scope: "any",
  query: paginationQuery,
  success: { 200: { description: "A page of domains", schema: domainPage } },
  handler: async ({ db, params, query }) =>
    json(await tenancy.listDomains(db, { clientId: params.client_id, ...query })),
});

export const getDomain = defineOperation({
  method: "GET",
  path: "/v2/clients/{client_id}/domains/{domain_id}",
  operationId: "getDomain",
  tag: "Tenancy",
  summary: "Get a domain",
  description: "The domain's name, status (`active` or `inactive`) and service count.",
  scope: "any",
  success: { 200: { description: "The domain", schema: domainRow } },
  handler: async ({ db, params }) =>
    json(await tenancy.getDomain(db, { clientId: params.client_id, domainId: params.domain_id })),
});

export const createDomain = defineOperation({
  method: "POST",
  path: "/v2/clients/{client_id}/domains",
  operationId: "createDomain",
  tag: "Tenancy",
  summary: "Create a domain",
  description: "A new domain starts `active` unless the body says `inactive`.",
  scope: "admin",
  dryRun: true,
  body: { schema: domainCreateBody },
  success: { 201: { description: "Domain created", schema: domainRow, headers: ["Location"] } },
  errors: { 409: "The domain already exists in the client." },
  handler: async ({ db, actor, meta, params, body, dryRun }) => {
    const clientId = params.client_id;
    const row = await tenancy.createDomain(db, { actor, meta, clientId, body }, { dryRun });
    return created(getDomain, { client_id: clientId, domain_id: row.domain_id }, row);
  },
});

export const patchDomain = defineOperation({
  method: "PATCH",
  path: "/v2/clients/{client_id}/domains/{domain_id}",
  operationId: "patchDomain",
  tag: "Tenancy",
  summary: "Rename a domain, set it active or inactive, or give it its own approval policy",
  description:
    "While a domain is inactive, writes into it fail with 422. `change_policy` overrides the client's for this domain (null: the client's holds again).",
  scope: "admin",
  body: { schema: domainPatchBody },
  success: { 200: { description: "The updated domain", schema: domainRow } },
  handler: async ({ db, actor, meta, params, body }) =>
    json(
      await tenancy.patchDomain(db, {
        actor,
        meta,
        clientId: params.client_id,
        domainId: params.domain_id,
        body,
      }),
    ),
});
