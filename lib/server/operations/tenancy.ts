// The tenancy operations: clients and their domains.
import "server-only";
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
import { family, ids } from "./define";
import { PEOPLE_403 } from "./shared";

const clientPage = page(clientRow, "ClientPage");
const domainPage = page(domainRow, "DomainPage");
const op = family("Tenancy");

export const listClients = op.get({
  path: "/v2/clients",
  operationId: "listClients",
  summary: "List the clients the caller may access",
  description:
    'Every client the caller\'s token or role names (all of them for `clients: "*"`), sorted by id.',
  scope: "any",
  query: paginationQuery,
  answers: { description: "A page of clients", schema: clientPage },
  read: ({ db, actor, query }) => tenancy.listClients(db, { actor, ...query }),
});

export const getClient = op.get({
  path: "/v2/clients/{client_id}",
  operationId: "getClient",
  summary: "Get a client",
  description: "A client the caller may access; a client outside the caller's clients is a 403.",
  scope: "any",
  answers: { description: "The client", schema: clientRow },
  read: ({ db, params }) => tenancy.getClient(db, ids(params)),
});

export const createClient = op.create({
  path: "/v2/clients",
  operationId: "createClient",
  summary: "Create a client",
  description: "Adds a tenant. Needs a caller that may touch every client (clients `*`).",
  scope: "admin",
  dryRun: true,
  body: { schema: clientCreateBody },
  answers: { description: "Client created", schema: clientRow },
  errors: { 403: PEOPLE_403, 409: "The client already exists." },
  write: ({ db, actor, meta, body, dryRun }) =>
    tenancy.createClient(db, { actor, meta, body }, { dryRun }),
  located: (row) => [getClient, { client_id: row.client_id }],
});

export const patchClient = op.patch({
  path: "/v2/clients/{client_id}",
  operationId: "patchClient",
  summary:
    "Rename a client, set whether every change to its data needs a reason, or how many approvals",
  description:
    "With `require_change_reason: true`, every write to the client's data (domains, services, assignments, the client itself) without an `X-Change-Reason` header is refused with 422. The change is recorded in the audit log; switching it on is itself the first change that needs a reason. " +
    "`change_policy: { required_approvals: 0-5, allow_self_approval }` (four eyes): above 0, direct writes to the client's assignments and services answer 403 and changes go through change requests (a domain's own policy overrides it).",
  scope: "admin",
  body: { schema: clientPatchBody },
  answers: { description: "The updated client", schema: clientRow },
  errors: { 422: "The client requires a change reason and none was sent." },
  write: ({ db, actor, meta, params, body }) =>
    tenancy.patchClient(db, { actor, meta, ...ids(params), body }),
});

export const listDomains = op.get({
  path: "/v2/clients/{client_id}/domains",
  operationId: "listDomains",
  summary: "List a client's domains",
  description:
    "The client's domains with their status and how many services each has, sorted by id.",
  scope: "any",
  query: paginationQuery,
  answers: { description: "A page of domains", schema: domainPage },
  read: ({ db, params, query }) => tenancy.listDomains(db, { ...ids(params), ...query }),
});

export const getDomain = op.get({
  path: "/v2/clients/{client_id}/domains/{domain_id}",
  operationId: "getDomain",
  summary: "Get a domain",
  description: "The domain's name, status (`active` or `inactive`) and service count.",
  scope: "any",
  answers: { description: "The domain", schema: domainRow },
  read: ({ db, params }) => tenancy.getDomain(db, ids(params)),
});

export const createDomain = op.create({
  path: "/v2/clients/{client_id}/domains",
  operationId: "createDomain",
  summary: "Create a domain",
  description: "A new domain starts `active` unless the body says `inactive`.",
  scope: "admin",
  dryRun: true,
  body: { schema: domainCreateBody },
  answers: { description: "Domain created", schema: domainRow },
  errors: { 409: "The domain already exists in the client." },
  write: ({ db, actor, meta, params, body, dryRun }) =>
    tenancy.createDomain(db, { actor, meta, ...ids(params), body }, { dryRun }),
  located: (row, { params }) => [
    getDomain,
    { client_id: params.client_id, domain_id: row.domain_id },
  ],
});

export const patchDomain = op.patch({
  path: "/v2/clients/{client_id}/domains/{domain_id}",
  operationId: "patchDomain",
  summary: "Rename a domain, set it active or inactive, or give it its own approval policy",
  description:
    "While a domain is inactive, writes into it fail with 422. `change_policy` overrides the client's for this domain (null: the client's holds again).",
  scope: "admin",
  body: { schema: domainPatchBody },
  answers: { description: "The updated domain", schema: domainRow },
  write: ({ db, actor, meta, params, body }) =>
    tenancy.patchDomain(db, { actor, meta, ...ids(params), body }),
});
