import { describeValue } from "./describe-value";
import { matchesFeatureType } from "./match-feature-type";
import { FEATURE_TYPES } from "./types";
import type { FeatureDefinition, FeatureType } from "./types";

export type FeatureDefinitionsValidation =
  { ok: true; definitions: FeatureDefinition[] } | { ok: false; problems: string[] };

const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

type ScalarType = Exclude<FeatureType, "enum">;

const TYPE_NOUN: Record<ScalarType, string> = {
  string: "a string",
  number: "a finite number",
  integer: "an integer",
  boolean: "a boolean (true or false)",
};

const TYPE_FIX: Record<ScalarType, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
};

function isFeatureType(type: unknown): type is FeatureType {
  return (FEATURE_TYPES as readonly unknown[]).includes(type);
}

function label(key: unknown): string {
  return `feature ${describeValue(key)}`;
}

function problemsOfAllowedValues(definition: FeatureDefinition, name: string): string[] {
  const values: unknown = definition.allowed_values;
  const present = values !== undefined && values !== null;
  if (definition.type !== "enum") {
    return present
      ? [
          `${name}: allowed_values only applies to type "enum", but the type is ${describeValue(definition.type)}; remove allowed_values or change the type to "enum"`,
        ]
      : [];
  }
  if (!Array.isArray(values) || values.length === 0) {
    return [
      `${name}: type "enum" needs a non-empty allowed_values list; list the values the feature may take`,
    ];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const reportedDuplicates = new Set<string>();
  values.forEach((value: unknown, index) => {
    if (typeof value !== "string") {
      problems.push(
        `${name}: allowed_values[${index}] is ${describeValue(value)}, not a string; enum values must be strings`,
      );
    } else if (value === "") {
      problems.push(
        `${name}: allowed_values[${index}] is an empty string; remove it or give the value a name`,
      );
    } else if (seen.has(value)) {
      if (!reportedDuplicates.has(value)) {
        reportedDuplicates.add(value);
        problems.push(
          `${name}: allowed_values lists ${describeValue(value)} more than once; list each value once`,
        );
      }
    } else {
      seen.add(value);
    }
  });
  return problems;
}

function problemOfDefault(definition: FeatureDefinition, name: string): string | null {
  const value = definition.default;
  if (value === undefined || value === null) return null;
  if (definition.type === "enum") {
    const allowed = Array.isArray(definition.allowed_values) ? definition.allowed_values : [];
    const usable = [...new Set(allowed.filter((v) => typeof v === "string" && v !== ""))];
    // With no usable values the allowed_values problem already says what to fix.
    if (usable.length === 0) return null;
    if (matchesFeatureType(value, "enum", new Set(usable))) return null;
    return `${name}: default ${describeValue(value)} is not one of the allowed values (${usable.join(", ")}); give one of them as the default or remove it`;
  }
  if (matchesFeatureType(value, definition.type, null)) return null;
  return `${name}: default ${describeValue(value)} is not ${TYPE_NOUN[definition.type]}; give ${TYPE_FIX[definition.type]} default or remove it`;
}

function normalize(definition: FeatureDefinition): FeatureDefinition {
  // Built field by field so absent optionals (undefined or null) disappear and stray properties are not carried along.
  const normalized: FeatureDefinition = {
    key: definition.key,
    type: definition.type,
    required: definition.required,
  };
  if (definition.default !== undefined && definition.default !== null)
    normalized.default = definition.default;
  if (definition.allowed_values !== undefined && definition.allowed_values !== null) {
    normalized.allowed_values = [...definition.allowed_values];
  }
  if (definition.description !== undefined && definition.description !== null) {
    normalized.description = definition.description;
  }
  return normalized;
}

// Semantic checks on definitions that already passed structural (zod) parsing; reports every problem at once
// so the author can fix a whole contract in one round trip.
export function validateFeatureDefinitions(
  input: readonly FeatureDefinition[],
): FeatureDefinitionsValidation {
  const problems: string[] = [];
  const positions = new Map<string, number[]>();
  input.forEach((definition, index) => {
    const list = positions.get(definition.key);
    if (list) list.push(index + 1);
    else positions.set(definition.key, [index + 1]);
  });
  const reportedDuplicates = new Set<string>();

  input.forEach((definition, index) => {
    const entries = positions.get(definition.key) ?? [];
    const duplicated = entries.length > 1;
    // A duplicated key alone cannot say which definition a problem is about, so the entry number is added.
    const name = duplicated
      ? `${label(definition.key)} (entry ${index + 1})`
      : label(definition.key);
    if (duplicated && !reportedDuplicates.has(definition.key)) {
      reportedDuplicates.add(definition.key);
      problems.push(
        `${label(definition.key)}: defined ${entries.length} times (entries ${entries.join(", ")}); each key must be unique, keep one definition`,
      );
    }
    if (typeof definition.key !== "string" || !KEY_PATTERN.test(definition.key)) {
      problems.push(
        `${name}: the key must start with a letter or "_" and contain only letters, digits, "_", "." or "-" (at most 128 characters); rename it`,
      );
    }
    if (!isFeatureType(definition.type)) {
      problems.push(
        `${name}: type ${describeValue(definition.type)} is unknown; use one of ${FEATURE_TYPES.join(", ")}`,
      );
      return;
    }
    problems.push(...problemsOfAllowedValues(definition, name));
    const defaultProblem = problemOfDefault(definition, name);
    if (defaultProblem) problems.push(defaultProblem);
  });

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, definitions: input.map(normalize) };
}
