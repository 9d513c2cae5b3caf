import { z } from "zod";
import { identifier, isoDateTime } from "./common";
import { featureDefinitionSchema } from "./features";

/** A contract hash as the API shows it (model versions, effective reads) and services report it. */
export const contractHashSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits (a SHA-256)")
  .meta({
    description:
      "SHA-256 (lowercase hex) of the version's feature contract in canonical JSON: object keys sorted by code point, no whitespace",
    example: "3f0c9b1e5a7d2c4b6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f",
  });

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
    contract_hash: contractHashSchema,
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
