import { z } from "zod";
import { identifier, isoDateTime } from "./common";

export const clientRow = z
  .object({ client_id: z.string(), name: z.string(), created_at: isoDateTime })
  .meta({ id: "Client" });

export const clientCreateBody = z
  .strictObject({
    client_id: identifier("Tenant identifier"),
    name: z.string().min(1).max(200).optional(),
  })
  .meta({ id: "ClientCreate" });

export const domainStatus = z.enum(["active", "inactive"]);

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
