import type { FeatureType } from "./types";

// One definition of "a value of this type" shared by the compatibility check and definition validation,
// so a default accepted at registration can never fail the check later.
export function matchesFeatureType(
  value: unknown,
  type: FeatureType,
  allowedValues: ReadonlySet<string> | null,
): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "enum":
      return typeof value === "string" && allowedValues !== null && allowedValues.has(value);
    default:
      return false;
  }
}

export function expectedTypeLabel(
  type: FeatureType,
  allowedValues: readonly string[] | undefined,
): string {
  if (type !== "enum") return type;
  return allowedValues && allowedValues.length > 0
    ? `one of: ${allowedValues.join(", ")}`
    : "one of: (no allowed values)";
}
