import { z } from "zod";
import { identifier, isoDateTime } from "./common";
import { staticFeaturesSchema } from "./features";

export const serviceStatus = z.enum(["active", "departed"]);

export const serviceRow = z
  .object({
    client_id: z.string(),
    domain_id: z.string(),
    service_id: z.string(),
    name: z.string().nullable(),
    provided_features: z.record(z.string(), z.unknown()),
    status: serviceStatus,
    created_at: isoDateTime,
    updated_at: isoDateTime,
  })
  .meta({ id: "Service" });

export type ServiceRow = z.infer<typeof serviceRow>;

export const servicePatchBody = z
  .strictObject({
    name: z.string().min(1).max(200).nullable().optional(),
    status: z.literal("departed").optional().meta({ description: "Set departed when the service leaves the domain; it is kept for history" }),
    provided_features: staticFeaturesSchema.optional().meta({ description: "Merged into provided_features; a null value removes a key" }),
  })
  .meta({ id: "ServicePatch" });

export const serviceCreateBody = z
  .strictObject({
    service_id: identifier("Service identifier within a domain."),
    name: z.string().min(1).max(200).optional(),
    provided_features: staticFeaturesSchema.optional(),
  })
  .meta({ id: "ServiceCreate" });

export const serviceListQuery = z.object({
  status: z.enum(["active", "departed", "all"]).default("all"),
  q: z.string().max(128).optional().meta({ description: "Case-insensitive substring of the service id or name" }),
});
