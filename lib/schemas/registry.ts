import { z } from "zod";
import { identifier, isoDateTime } from "./common";
import { featureDefinitionSchema } from "./features";

export const modelRow = z
  .object({
    model_id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    versions: z.array(z.string()),
    created_by: z.string(),
    created_at: isoDateTime,
  })
  .meta({ id: "Model" });
export type Model = z.infer<typeof modelRow>;

export const modelCreateBody = z
  .strictObject({
    model_id: identifier("Model registry identifier."),
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
  })
  .meta({ id: "ModelCreate" });
export type ModelCreateBody = z.input<typeof modelCreateBody>;

export const versionRow = z
  .object({
    model_id: z.string(),
    version: z.string(),
    description: z.string().nullable(),
    features: z.array(featureDefinitionSchema),
    created_by: z.string(),
    created_at: isoDateTime,
  })
  .meta({ id: "ModelVersion" });
export type ModelVersion = z.infer<typeof versionRow>;

export const versionCreateBody = z
  .strictObject({
    version: identifier("Model version string within the registry."),
    description: z.string().max(2000).optional(),
    features: z
      .array(featureDefinitionSchema)
      .max(500)
      .meta({ description: "The feature contract, frozen at registration" }),
  })
  .meta({ id: "ModelVersionCreate" });
export type VersionCreateBody = z.input<typeof versionCreateBody>;

export const contractDiffQuery = z.object({
  from: identifier("The version to compare against"),
});

export const contractDiffRow = z
  .object({
    model_id: z.string(),
    from: z.string(),
    to: z.string(),
    breaking: z.boolean(),
    changes: z.array(
      z.object({
        key: z.string(),
        change: z.enum([
          "added",
          "removed",
          "retyped",
          "required_changed",
          "default_changed",
          "allowed_values_changed",
        ]),
        from: featureDefinitionSchema.nullable(),
        to: featureDefinitionSchema.nullable(),
        impact: z.enum(["compatible", "breaking"]),
        reason: z.string(),
      }),
    ),
  })
  .meta({ id: "ContractDiff" });
export type ContractDiff = z.infer<typeof contractDiffRow>;
