// The console's entry point to the /v2 wire types. Each is defined once, inferred from the zod schema the server
// validates with, next to that schema in lib/schemas; this module only gathers the ones the console uses.
export type {
  ApiToken,
  ApiTokenAdoptBody,
  ApiTokenCreateBody,
  ApiTokenCreated,
  Me,
  User,
  UserCreateBody,
  UserCreated,
  UserPatchBody,
} from "@/lib/schemas/access";
export type { AssignmentKeySummary } from "@/lib/schemas/assignment-keys";
export type {
  Assignment,
  AssignmentRevision,
  DomainAssignmentWrite,
  PinnedService,
  Preview,
  ServiceChange,
} from "@/lib/schemas/assignments";
/**
 * What the console sends to PUT or POST an assignment: the domain default's body, which is the service route's
 * plus pin_services (the console sends pin_services to the domain default route only).
 */
export type { DomainAssignmentPutBody as AssignmentPutBody } from "@/lib/schemas/assignments";
export type { AuditEntry } from "@/lib/schemas/audit";
export type {
  ChangeImpact,
  ChangeRequest,
  ChangeRequestCreateBody,
  ChangeRequestSummary,
} from "@/lib/schemas/change-requests";
export type { Change } from "@/lib/schemas/changes";
export type {
  Rollout,
  RolloutCreateBody,
  RolloutPreview,
  RolloutSummary,
  RolloutWave,
} from "@/lib/schemas/rollouts";
export type { Page, ValidationIssue } from "@/lib/schemas/common";
export type { BlockingService } from "@/lib/schemas/features";
export type {
  ContractDiff,
  Model,
  ModelCreateBody,
  ModelVersion,
  VersionCreateBody,
} from "@/lib/schemas/registry";
export type {
  Service,
  ServiceBulkPatchBody,
  ServiceBulkPatchResult,
  ServiceEffectiveEntry,
  ServiceListItem,
  ServiceFilters,
  ServicePatchBody,
} from "@/lib/schemas/services";
export type { Client, ClientPatchBody, Domain } from "@/lib/schemas/tenancy";
export type {
  Webhook,
  WebhookCreateBody,
  WebhookCreated,
  WebhookDelivery,
} from "@/lib/schemas/webhooks";
