// Every /v2 operation, in the order the OpenAPI document lists them. The document is built by mapping over this list
// (lib/server/openapi/document.ts), and each route file exports what its path's operations give (routeOf), so an
// operation's route and its documentation are one object (docs/decisions/050).
import "server-only";
import type { OperationSpec } from "@/lib/server/http/operation";
import * as access from "./access";
import * as assignments from "./assignments";
import * as changeRequests from "./change-requests";
import * as meta from "./meta";
import * as observations from "./observations";
import * as registry from "./registry";
import * as rollouts from "./rollouts";
import * as services from "./services";
import * as tenancy from "./tenancy";
import * as webhooks from "./webhooks";

/** The operations, in document order. A function, so operation modules may import what imports this list. */
export function operations(): readonly OperationSpec[] {
  return [
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
    observations.reportObservation,
    observations.reportObservations,
    observations.getSyncStatus,
    changeRequests.listChangeRequests,
    changeRequests.openChangeRequest,
    changeRequests.getChangeRequest,
    changeRequests.editChangeRequest,
    changeRequests.reviewChangeRequest,
    changeRequests.applyChangeRequest,
    changeRequests.withdrawChangeRequest,
    rollouts.listRollouts,
    rollouts.createRollout,
    rollouts.previewRollout,
    rollouts.getRollout,
    rollouts.pauseRollout,
    rollouts.resumeRollout,
    rollouts.promoteRollout,
    rollouts.abortRollout,
    rollouts.rollbackRollout,
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
    services.patchServices,
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
    webhooks.listWebhooks,
    webhooks.createWebhook,
    webhooks.getWebhook,
    webhooks.deleteWebhook,
    webhooks.listWebhookDeliveries,
    webhooks.retryWebhookDelivery,
    meta.listAuditEntries,
    meta.getLiveness,
    meta.getReadiness,
    meta.getOpenApiDocument,
  ];
}
