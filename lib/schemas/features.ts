import { z } from "zod";
import { FEATURE_TYPES } from "@/lib/features/types";

const featureValue = z.union([z.string(), z.number(), z.boolean()]);

export const featureDefinitionSchema = z
  .strictObject({
    key: z.string().min(1).max(128),
    type: z.enum(FEATURE_TYPES),
    required: z.boolean().default(false),
    default: featureValue.nullable().optional(),
    allowed_values: z.array(z.string()).optional(),
    description: z.string().max(2000).optional(),
  })
  .meta({
    id: "FeatureDefinition",
    description: "One feature of a model version's frozen contract",
  });

export const staticFeaturesSchema = z
  .record(z.string().min(1).max(128), z.union([featureValue, z.null()]))
  .meta({
    description:
      "Feature key-value pairs. Mandatory features without defaults must be provided. A null removes a key.",
  });

export const invalidFeatureSchema = z.object({
  key: z.string(),
  expected: z.string(),
  got: z.string(),
});

export const blockingServiceSchema = z
  .object({
    service_id: z.string(),
    missing: z.array(z.string()),
    invalid: z.array(invalidFeatureSchema),
  })
  .meta({ id: "BlockingService" });

/** One service that blocks a change, in a 422's `blocking_services` (and a preview's). */
export type BlockingService = z.infer<typeof blockingServiceSchema>;
