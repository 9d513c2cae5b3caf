// Turns a model version's feature contract into form fields: which input each feature gets, and the zod
// schema that validates what a person typed, with the same rules as the server's compatibility check.
// zod/mini: the same engine with a tree-shakable API, so pages that validate contracts stay small.
import { z } from "zod/mini";
import type { FeatureDefinition, FeatureValue } from "./types";

export type FeatureInputKind = "select" | "number" | "integer" | "switch" | "text";

export function inputKindFor(definition: Pick<FeatureDefinition, "type">): FeatureInputKind {
  switch (definition.type) {
    case "enum":
      return "select";
    case "number":
      return "number";
    case "integer":
      return "integer";
    case "boolean":
      return "switch";
    default:
      return "text";
  }
}

/** A feature the service must provide itself: required, with no default to fall back on. */
export function mustBeProvided(definition: FeatureDefinition): boolean {
  return definition.required && (definition.default === undefined || definition.default === null);
}

/**
 * The schema for one feature's form value. Form inputs give strings (text, number, select) or booleans
 * (switch); the schema turns them into the JSON value sent to the server. An empty optional field is `null`
 * (which, in a merge patch, removes the key).
 */
export function featureValueSchema(
  definition: FeatureDefinition,
): z.ZodMiniType<FeatureValue | null, unknown> {
  const required = mustBeProvided(definition);
  const empty = (v: unknown) =>
    v === undefined || v === null || (typeof v === "string" && v.trim() === "");
  const missing = `${definition.key} is required by this version`;
  const wrap = <T extends FeatureValue>(inner: z.ZodMiniType<T, unknown>) =>
    z.pipe(
      z.unknown(),
      z.transform((value: unknown, ctx): T | null => {
        if (empty(value)) {
          if (required) ctx.issues.push({ code: "custom", message: missing, input: value });
          return null;
        }
        const parsed = inner.safeParse(value);
        if (!parsed.success) {
          ctx.issues.push({
            code: "custom",
            message: parsed.error.issues[0]?.message ?? "Invalid value",
            input: value,
          });
          return null;
        }
        return parsed.data;
      }),
    );
  const numeric = (test: (n: number) => boolean, message: string) =>
    z.pipe(
      z.union([z.number(), z.string()]),
      z.transform((v: number | string, ctx): number => {
        const n = typeof v === "number" ? v : Number(v.trim());
        if (!test(n)) ctx.issues.push({ code: "custom", message, input: v });
        return n;
      }),
    );

  switch (definition.type) {
    case "string":
      return wrap(
        z.pipe(
          z.string(),
          z.transform((s: string) => s.trim()),
        ),
      );
    case "number":
      return wrap(numeric(Number.isFinite, `${definition.key} must be a number`));
    case "integer":
      return wrap(numeric(Number.isInteger, `${definition.key} must be a whole number`));
    case "boolean":
      return wrap(
        z.pipe(
          z.union([z.boolean(), z.enum(["true", "false"])]),
          z.transform((v: boolean | "true" | "false") => v === true || v === "true"),
        ),
      );
    case "enum": {
      const allowed = definition.allowed_values ?? [];
      return wrap(
        z
          .string()
          .check(
            z.refine(
              (v: string) => allowed.includes(v),
              `${definition.key} must be one of: ${allowed.join(", ")}`,
            ),
          ),
      );
    }
  }
}

/** The schema of a form editing the given features of one service. */
export function contractFormSchema(definitions: readonly FeatureDefinition[]) {
  const shape: Record<string, z.ZodMiniType<FeatureValue | null, unknown>> = {};
  for (const d of definitions) shape[d.key] = featureValueSchema(d);
  return z.object(shape);
}

/** The form's starting value for a feature: what the service has now, as the input shows it. */
export function toFormValue(definition: FeatureDefinition, current: unknown): string | boolean {
  if (definition.type === "boolean") return current === true || current === "true";
  if (current === undefined || current === null) return "";
  return typeof current === "string" ? current : JSON.stringify(current);
}
