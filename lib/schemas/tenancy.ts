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
export const changePolicy = z
  .strictObject({
    required_approvals: z.number().int().min(0).max(5).meta({
      description:
        "Approvals a change request needs before it can be applied (0–5). Above 0, direct writes to the scope's assignments and services answer 403: changes go through /v2/clients/{client_id}/change-requests",
    }),
    allow_self_approval: z.boolean().default(false).meta({
      description: "Whether the author's own approval counts (default false: four eyes)",
    }),
  })
  .meta({ id: "ChangePolicy" });
export type ChangePolicyBody = z.infer<typeof changePolicy>;

export const clientRow = z
  .object({
    client_id: z.string(),
    name: z.string(),
    require_change_reason: requireChangeReason,
    stale_after: staleAfter,
    change_policy: changePolicy.meta({
      description: "Approvals required for changes to the client's data ({0, false}: none)",
    }),
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
    change_policy: changePolicy.optional(),
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
    change_policy: changePolicy.nullable().meta({
      description:
        "This domain's own approval policy, overriding the client's; null: the client's holds",
    }),
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
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    status: domainStatus.optional(),
    change_policy: changePolicy.nullable().optional().meta({
      description: "This domain's own approval policy; null removes it (the client's holds again)",
    }),
  })
  .meta({ id: "DomainPatch" });
