// The "Register version" form's values and their conversion to the request body. Every input gives a string
// (or a boolean for "required"); the typed default is parsed from its string according to the row's type.
import { z } from "zod";
import { FEATURE_TYPES, type FeatureDefinition, type FeatureType } from "@/lib/features/types";
import { versionCreateBody } from "@/lib/schemas/registry";

const featureRowSchema = z
  .object({
    key: z.string().trim().min(1, "Enter a key").max(128, "Use at most 128 characters"),
    type: z.enum(FEATURE_TYPES),
    required: z.boolean(),
    default: z.string(),
    allowed: z.string(),
    description: z.string().trim().max(2000, "Use at most 2000 characters"),
  })
  .superRefine((row, ctx) => {
    if (
      (row.type === "number" || row.type === "integer") &&
      row.default.trim() !== "" &&
      !Number.isFinite(Number(row.default))
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["default"],
        message: "Enter a number, or leave empty for no default",
      });
    }
  });

export const versionFormSchema = z.object({
  version: versionCreateBody.shape.version,
  description: z.string().trim().max(2000, "Use at most 2000 characters"),
  features: z.array(featureRowSchema).max(500, "A contract holds at most 500 features"),
});

export type FeatureRow = z.infer<typeof featureRowSchema>;
export type VersionFormValues = z.infer<typeof versionFormSchema>;

export const emptyFeatureRow = (): FeatureRow => ({
  key: "",
  type: "string",
  required: false,
  default: "",
  allowed: "",
  description: "",
});

export function splitAllowedValues(text: string): string[] {
  return text
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function parseDefault(row: FeatureRow): FeatureDefinition["default"] {
  const text = row.type === "string" ? row.default : row.default.trim();
  if (text === "") return undefined;
  switch (row.type) {
    case "number":
    case "integer":
      return Number(text);
    case "boolean":
      return text === "true";
    default:
      return text;
  }
}

export function toFeatureDefinition(row: FeatureRow): FeatureDefinition {
  const definition: FeatureDefinition = {
    key: row.key.trim(),
    type: row.type,
    required: row.required,
  };
  const value = parseDefault(row);
  if (value !== undefined) definition.default = value;
  if (row.type === "enum") definition.allowed_values = splitAllowedValues(row.allowed);
  if (row.description) definition.description = row.description;
  return definition;
}

/** A registered definition as editor values (to start a new version from an existing contract). */
export function toFeatureRow(definition: FeatureDefinition): FeatureRow {
  return {
    key: definition.key,
    type: definition.type as FeatureType,
    required: definition.required,
    default:
      definition.default === undefined || definition.default === null
        ? ""
        : String(definition.default),
    allowed: (definition.allowed_values ?? []).join(", "),
    description: definition.description ?? "",
  };
}

/**
 * Which editor row a server problem is about. The server names features as `feature "key"`, adding
 * `(entry N)` when a key is duplicated; problems that name no row return null.
 */
export function rowOfProblem(problem: string, rows: readonly { key: string }[]): number | null {
  const match = /^feature ("(?:[^"\\]|\\.)*")(?: \(entry (\d+)\))?:/.exec(problem);
  if (!match) return null;
  if (match[2]) {
    const index = Number(match[2]) - 1;
    return index >= 0 && index < rows.length ? index : null;
  }
  let key: unknown;
  try {
    key = JSON.parse(match[1]!);
  } catch {
    return null;
  }
  const index = rows.findIndex((r) => r.key.trim() === key);
  return index >= 0 ? index : null;
}
