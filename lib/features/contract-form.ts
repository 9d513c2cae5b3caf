// Turns a model version's feature contract into form fields: which input each feature gets, and how what a
// person typed becomes the JSON value sent to the server, with the same rules as the server's compatibility
// check (lib/features/match-feature-type.ts). Plain functions, no zod: every page that edits a feature value
// loads this, so it stays small.
//
// The rule that matters most: text a number field can't read ("ten", "5-", "--5", "2,5") is an error with a
// message, never "no value". An empty field is reported as empty, and the caller decides what that means (a
// required feature is missing, an optional one stays unset); emptying a field never removes a key by itself.
import type { FeatureDefinition, FeatureType, FeatureValue } from "./types";

type FeatureInputKind = "select" | "number" | "integer" | "switch" | "text";

/** What an input holds: a string for text, number and select inputs, a boolean for a switch. */
export type FeatureInputValue = string | boolean;

type ParsedFeatureInput =
  { kind: "value"; value: FeatureValue } | { kind: "empty" } | { kind: "invalid"; message: string };

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

// A plain decimal as people type it: optional sign, digits with an optional fraction (or a leading dot), an
// optional exponent. Rejects "5-", "--5", "1.2.3", "0x10", "Infinity", "1 000" and "2,5".
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function quoted(raw: string): string {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  return `“${shown}”`;
}

function readNumber(key: string, raw: string, type: "number" | "integer"): ParsedFeatureInput {
  const text = raw.trim();
  const example = type === "integer" ? "12" : "2.5";
  const kind = type === "integer" ? "a whole number" : "a number";
  if (!DECIMAL.test(text)) {
    if (/^[+-]?\d+,\d+$/.test(text))
      return {
        kind: "invalid",
        message:
          type === "integer"
            ? `${key} must be a whole number such as ${example}: no decimals or separators`
            : `${key} must be a number such as ${example}: use a dot for decimals`,
      };
    return {
      kind: "invalid",
      message: `${key} must be ${kind} such as ${example}; ${quoted(text)} is not one`,
    };
  }
  const value = Number(text);
  if (!Number.isFinite(value))
    return { kind: "invalid", message: `${key} is too large: ${quoted(text)}` };
  if (type === "integer") {
    if (!Number.isInteger(value))
      return {
        kind: "invalid",
        message: `${key} must be a whole number such as ${example}, without decimals; ${quoted(text)} is not one`,
      };
    if (!Number.isSafeInteger(value))
      return {
        kind: "invalid",
        message: `${key} is too large: use a whole number between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`,
      };
  }
  // -0 reads as 0: JSON has no negative zero.
  return { kind: "value", value: Object.is(value, -0) ? 0 : value };
}

/**
 * Reads one input's value as the given feature type. Strings are trimmed; an empty (or blank) field is
 * `{ kind: "empty" }` for every type but boolean, whose switch always holds true or false.
 */
export function parseFeatureInput(
  definition: Pick<FeatureDefinition, "key" | "type" | "allowed_values">,
  raw: FeatureInputValue | null | undefined,
): ParsedFeatureInput {
  const { key, type } = definition;
  if (raw === undefined || raw === null) return { kind: "empty" };
  if (type === "boolean") {
    if (typeof raw === "boolean") return { kind: "value", value: raw };
    const text = raw.trim().toLowerCase();
    if (text === "") return { kind: "empty" };
    if (text === "true") return { kind: "value", value: true };
    if (text === "false") return { kind: "value", value: false };
    return { kind: "invalid", message: `${key} must be true or false` };
  }
  if (typeof raw === "boolean")
    return { kind: "invalid", message: `${key} must be ${describeType(type)}, not true or false` };
  const text = raw.trim();
  if (text === "") return { kind: "empty" };
  switch (type) {
    case "number":
    case "integer":
      return readNumber(key, text, type);
    case "enum": {
      const allowed = definition.allowed_values ?? [];
      return allowed.includes(text)
        ? { kind: "value", value: text }
        : {
            kind: "invalid",
            message: `${key} must be one of: ${allowed.join(", ") || "(no allowed values)"}`,
          };
    }
    default:
      return { kind: "value", value: text };
  }
}

/** "a whole number", "one of a list"… — how a type reads in a sentence. */
export function describeType(type: FeatureType): string {
  switch (type) {
    case "integer":
      return "a whole number";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "enum":
      return "one of the allowed values";
    default:
      return "text";
  }
}

/** The form's starting value for a feature: what the service has now, as the input shows it ("" = not set). */
export function toFormValue(
  definition: Pick<FeatureDefinition, "type">,
  current: unknown,
): FeatureInputValue {
  // An absent feature is an empty input, a switch included: it shows "not set" until it is turned on or off.
  if (current === undefined || current === null) return "";
  if (definition.type === "boolean") return current === true || current === "true";
  return typeof current === "string" ? current : JSON.stringify(current);
}

/** "string, required" · "enum: bus, tram (default bus)" — how a contract line reads to a person. */
export function describeDefinition(d: FeatureDefinition): string {
  const type = d.type === "enum" ? `enum: ${(d.allowed_values ?? []).join(", ")}` : d.type;
  const need = d.required
    ? d.default != null
      ? `required, default ${JSON.stringify(d.default)}`
      : "required"
    : d.default != null
      ? `optional, default ${JSON.stringify(d.default)}`
      : "optional";
  return `${type} · ${need}`;
}
