import { z } from "zod";
import { identifier, isoDateTime } from "./common";

const requireChangeReason = z.boolean().meta({
  description:
    "Every write to this client's data must carry a reason (X-Change-Reason header); a write without one is 422",
});

const staleAfter = z
  .number()
  .int("stale_after is a whole number of seconds")
  .min(10, "stale_after must be at least 10 seconds")
  .max(7 * 24 * 3600, "stale_after must be at most 604800 seconds (7 days)")
  .meta({
    description:
      "Seconds after which a service's last report of what it runs no longer counts: its sync state becomes `unknown` (default 600, 10 minutes)",
  });

export const clientRow = z
  .object({
    client_id: z.string(),
    name: z.string(),
    require_change_reason: requireChangeReason,
    stale_after: staleAfter,
    created_at: isoDateTime,
  })
  .meta({ id: "Client" });
export type Client = z.infer<typeof clientRow>;

export const clientCreateBody = z
  .strictObject({
    client_id: identifier("Tenant identifier"),
    name: z.string().min(1).max(200).optional(),
    require_change_reason: requireChangeReason.optional(),
    stale_after: staleAfter.optional(),
  })
  .meta({ id: "ClientCreate" });

export const clientPatchBody = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    require_change_reason: requireChangeReason.optional(),
    stale_after: staleAfter.optional(),
  })
  .meta({ id: "ClientPatch" });
export type ClientPatchBody = z.input<typeof clientPatchBody>;

const domainStatus = z.enum(["active", "inactive"]);

export const domainRow = z
  .object({
    client_id: z.string(),
    domain_id: z.string(),
    name: z.string(),
    status: domainStatus,
    service_count: z.number().int(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
  })
  .meta({ id: "Domain" });
export type Domain = z.infer<typeof domainRow>;

export const domainCreateBody = z
  .strictObject({
    domain_id: identifier("Domain identifier within a client."),
    name: z.string().min(1).max(200).optional(),
    status: domainStatus.default("active"),
  })
  .meta({ id: "DomainCreate" });

export const domainPatchBody = z
  .strictObject({ name: z.string().min(1).max(200).optional(), status: domainStatus.optional() })
  .meta({ id: "DomainPatch" });
