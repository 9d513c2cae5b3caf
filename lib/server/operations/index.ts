// Every /v2 operation, in the order the OpenAPI document lists them. The document is built by mapping over this list
// (lib/server/openapi/document.ts), and each route file exports what its path's operations give (routeOf), so an
// operation's route and its documentation are one object. Operations still documented in the legacy table
// (lib/server/openapi/routes.ts) take their place here by id until they are converted.
import "server-only";
import type { OperationSpec } from "@/lib/server/http/operation";
import { LEGACY_ROUTES } from "@/lib/server/openapi/routes";
import * as assignments from "./assignments";
import * as access from "./access";
import * as services from "./services";
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
    assignments.listServiceAssignments,
    assignments.createServiceAssignment,
    assignments.getServiceAssignment,
    assignments.upsertServiceAssignment,
    assignments.listRevisionsOfServiceAssignment,
    assignments.getEffectiveAssignment,
    assignments.listDomainDefaultAssignments,
    assignments.createDomainDefaultAssignment,
    assignments.getDomainDefaultAssignment,
    assignments.upsertDomainDefaultAssignment,
    assignments.listRevisionsOfDomainDefaultAssignment,
    assignments.listDomainEffectiveAssignments,
    assignments.previewDomainDefaultAssignment,
    assignments.getAssignmentRevision,
    assignments.listAssignmentKeys,
    assignments.listDomainChanges,
    tenancy.listClients,
    tenancy.createClient,
    tenancy.getClient,
    tenancy.patchClient,
    tenancy.listDomains,
    tenancy.createDomain,
    tenancy.getDomain,
    tenancy.patchDomain,
    services.listServices,
    services.createService,
    services.getService,
    services.patchService,
    registry.listModels,
    registry.createModel,
    registry.getModel,
    registry.listModelVersions,
    registry.createModelVersion,
    registry.getModelVersion,
    registry.getContractDiff,
    access.getMe,
    access.changeOwnPassword,
    access.signOutEverywhere,
    access.listUsers,
    access.createUser,
    access.getUser,
    access.patchUser,
    access.listApiTokens,
    access.createApiToken,
    access.adoptApiToken,
    access.getApiToken,
    access.revokeApiToken,
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
