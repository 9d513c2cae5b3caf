// Response types of the /v2 routes, inferred from the same zod schemas the server validates with.
import type { z } from "zod";
import type {
  apiTokenCreateBody,
  apiTokenCreated,
  apiTokenRow,
  userCreateBody,
  userCreated,
  userPatchBody,
  userRow,
} from "@/lib/schemas/access";
import type {
  assignmentRevision,
  assignmentRow,
  effectiveAssignment,
  previewResponse,
} from "@/lib/schemas/assignments";
import type { contractDiffRow, modelRow, versionRow } from "@/lib/schemas/registry";
import type { serviceRow } from "@/lib/schemas/services";
import type { clientRow, domainRow } from "@/lib/schemas/tenancy";
import type { changeItem } from "@/lib/schemas/changes";
import type {
  webhookCreateBody,
  webhookCreated,
  webhookDelivery,
  webhookRow,
} from "@/lib/schemas/webhooks";

export type Assignment = z.infer<typeof assignmentRow>;
export type AssignmentRevision = z.infer<typeof assignmentRevision>;
export type ServiceChange = AssignmentRevision["service_changes"][number];
export type EffectiveAssignment = z.infer<typeof effectiveAssignment>;
export type Preview = z.infer<typeof previewResponse>;
export type Model = z.infer<typeof modelRow>;
export type ModelVersion = z.infer<typeof versionRow>;
export type ContractDiff = z.infer<typeof contractDiffRow>;
export type Service = z.infer<typeof serviceRow>;
export type Client = z.infer<typeof clientRow>;
export type Domain = z.infer<typeof domainRow>;
export type Page<T> = { items: T[]; next_cursor: string | null };
export type User = z.infer<typeof userRow>;
export type UserCreated = z.infer<typeof userCreated>;
export type UserCreateBody = z.input<typeof userCreateBody>;
export type UserPatchBody = z.input<typeof userPatchBody>;
export type ApiToken = z.infer<typeof apiTokenRow>;
export type ApiTokenCreated = z.infer<typeof apiTokenCreated>;
export type ApiTokenCreateBody = z.input<typeof apiTokenCreateBody>;
export type Webhook = z.infer<typeof webhookRow>;
export type WebhookCreated = z.infer<typeof webhookCreated>;
export type WebhookCreateBody = z.input<typeof webhookCreateBody>;
export type WebhookDelivery = z.infer<typeof webhookDelivery>;
export type Change = z.infer<typeof changeItem>;
