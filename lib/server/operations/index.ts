// Every /v2 operation, in the order the OpenAPI document lists them. The document is built by mapping over this list
// (lib/server/openapi/document.ts), and each route file exports what its path's operations give (routeOf), so an
// operation's route and its documentation are one object. Operations still documented in the legacy table
// (lib/server/openapi/routes.ts) take their place here by id until they are converted.
import "server-only";
import type { OperationSpec } from "@/lib/server/http/operation";
import { LEGACY_ROUTES } from "@/lib/server/openapi/routes";
import * as registry from "./registry";
import * as tenancy from "./tenancy";

/** The operations, in document order. A function, so route modules and this list may import each other. */
export function operations(): readonly OperationSpec[] {
  const byId = new Map(LEGACY_ROUTES.map((route) => [route.operationId, route]));
  const placed = new Set<string>();
  const legacy = (operationId: string): OperationSpec => {
    const route = byId.get(operationId);
    if (!route) throw new Error(`No legacy route "${operationId}" in lib/server/openapi/routes.ts`);
    placed.add(operationId);
    return route;
  };
  const list: OperationSpec[] = [
    legacy("listServiceAssignments"),
    legacy("createServiceAssignment"),
    legacy("getServiceAssignment"),
    legacy("upsertServiceAssignment"),
    legacy("listRevisionsOfServiceAssignment"),
    legacy("getEffectiveAssignment"),
    legacy("listDomainDefaultAssignments"),
    legacy("createDomainDefaultAssignment"),
    legacy("getDomainDefaultAssignment"),
    legacy("upsertDomainDefaultAssignment"),
    legacy("listRevisionsOfDomainDefaultAssignment"),
    legacy("listDomainEffectiveAssignments"),
    legacy("previewDomainDefaultAssignment"),
    legacy("getAssignmentRevision"),
    legacy("listAssignmentKeys"),
    legacy("listDomainChanges"),
    tenancy.listClients,
    tenancy.createClient,
    tenancy.getClient,
    tenancy.patchClient,
    tenancy.listDomains,
    tenancy.createDomain,
    tenancy.getDomain,
    tenancy.patchDomain,
    legacy("listServices"),
    legacy("createService"),
    legacy("getService"),
    legacy("patchService"),
    registry.listModels,
    registry.createModel,
    registry.getModel,
    registry.listModelVersions,
    registry.createModelVersion,
    registry.getModelVersion,
    registry.getContractDiff,
    legacy("getMe"),
    legacy("changeOwnPassword"),
    legacy("signOutEverywhere"),
    legacy("listUsers"),
    legacy("createUser"),
    legacy("getUser"),
    legacy("patchUser"),
    legacy("listApiTokens"),
    legacy("createApiToken"),
    legacy("adoptApiToken"),
    legacy("getApiToken"),
    legacy("revokeApiToken"),
    legacy("listWebhooks"),
    legacy("createWebhook"),
    legacy("getWebhook"),
    legacy("deleteWebhook"),
    legacy("listWebhookDeliveries"),
    legacy("retryWebhookDelivery"),
    legacy("listAuditEntries"),
    legacy("getLiveness"),
    legacy("getReadiness"),
    legacy("getOpenApiDocument"),
  ];
  const unplaced = LEGACY_ROUTES.filter((route) => !placed.has(route.operationId));
  if (unplaced.length > 0)
    throw new Error(
      `Legacy routes not placed in lib/server/operations/index.ts: ${unplaced.map((r) => r.operationId).join(", ")}`,
    );
  return list;
}
