// The audit log: who wrote what, when and why, with before and after.
import { z } from "zod";
import { identifier, isoDateTime } from "./common";

export const auditQuery = z.object({
  client_id: identifier("Only entries of this client").optional(),
  entity_type: z
    .string()
    .regex(/^[a-z_]{1,64}$/, "use lowercase letters and _ (e.g. service, domain, user, api_token)")
    .optional()
    .meta({
      description:
        "Only entries about this kind of thing: client, domain, service, assignment, model, model_version, user, api_token",
    }),
  entity_id: z.string().min(1).max(512).optional().meta({
    description:
      "Only entries about this entity (with entity_type), e.g. client-1/south_australia/svc-001",
  }),
  actor: z
    .string()
    .min(1)
    .max(320)
    .optional()
    .meta({ description: "Only entries written by this subject, e.g. user:admin@example.com" }),
  action: z
    .string()
    .regex(/^[a-z_]{1,64}\.[a-z_]{1,64}$/, "use the form thing.verb, e.g. assignment.upsert")
    .optional()
    .meta({ description: "Only entries of this action, e.g. assignment.upsert or user.update" }),
  since: isoDateTime
    .optional()
    .meta({ description: "Only entries at or after this time (ISO 8601 with offset)" }),
  until: isoDateTime
    .optional()
    .meta({ description: "Only entries before this time (ISO 8601 with offset; exclusive)" }),
  format: z.enum(["json", "csv"]).optional().meta({
    description:
      "csv: every matching entry as a CSV download (the same as Accept: text/csv, for links in a browser)",
  }),
});

export const auditEntry = z
  .object({
    id: z.number().int(),
    at: isoDateTime,
    actor: z.string(),
    action: z
      .string()
      .meta({ description: "e.g. assignment.upsert, service.patch, user.create, token.revoke" }),
    entity_type: z.string(),
    entity_id: z.string(),
    client_id: z.string().nullable(),
    request_id: z.string().nullable(),
    reason: z
      .string()
      .nullable()
      .meta({ description: "The change reason the write carried (X-Change-Reason), if any" }),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
  })
  .meta({ id: "AuditEntry" });
export type AuditEntry = z.infer<typeof auditEntry>;
