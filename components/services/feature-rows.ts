// The rows of the inline features editor, and what a save sends: pure functions, so the rules (which contracts
// type which input, which rows are sent, that only Remove deletes a key) are tested without a browser.
import { checkCompatibility } from "@/lib/features/check-compatibility";
import {
  describeType,
  mustBeProvided,
  parseFeatureInput,
  toFormValue,
  type FeatureInputValue,
} from "@/lib/features/contract-form";
import { jsonEqual } from "@/lib/features/json-equal";
import type { FeatureDefinition, FeatureType, FeatureValue, Features } from "@/lib/features/types";

/** A contract that applies to the service: a version it runs now, or (target) the version being moved to. */
export type EditorContract = {
  label: string;
  features: readonly FeatureDefinition[];
  target?: boolean;
};

/** One feature as every applicable contract sees it. */
export type MergedDefinition = {
  /** What the input follows: the target's definition when it has one, else the first contract's. */
  definition: FeatureDefinition;
  /** The contracts that mention the feature (labels, target first). */
  sources: string[];
  /** The contracts that need the service to provide it (required without a default). */
  requiredBy: string[];
  /** Set when the contracts disagree on the type (or the allowed values): said next to the field. */
  conflict: string | null;
};

export type FeatureRow = {
  /** The feature key; typed by the person for a new row. */
  key: string;
  /** The input's type: from the contracts for a contract row, chosen by the person otherwise. */
  type: FeatureType;
  /** contract: a contract mentions it; current: a key only the service has; new: being added. */
  origin: "contract" | "current" | "new";
  /** Marked for removal with the Remove button: saves as null (a merge patch's "remove this key"). */
  removed: boolean;
  /** The person changed the value or the type. */
  touched: boolean;
  /** What the input shows: a string for text/number/select inputs, a boolean for a switch. */
  value: FeatureInputValue;
};

type RowErrors = Map<number, { key?: string; value?: string }>;
type FeaturePatch = Record<string, FeatureValue | null>;

const has = (features: Features, key: string) =>
  Object.hasOwn(features, key) && features[key] !== null && features[key] !== undefined;

function typeLabel(d: FeatureDefinition): string {
  return d.type === "enum" ? `one of ${(d.allowed_values ?? []).join(", ")}` : d.type;
}

/** Merges the contracts that apply (target first), noting where they disagree. */
export function mergeContracts(
  contracts: readonly EditorContract[],
): Map<string, MergedDefinition> {
  const ordered = [...contracts].sort((a, b) => Number(!!b.target) - Number(!!a.target));
  const all = new Map<string, { label: string; definition: FeatureDefinition }[]>();
  for (const contract of ordered)
    for (const definition of contract.features) {
      const list = all.get(definition.key) ?? [];
      if (!list.some((d) => d.label === contract.label))
        list.push({ label: contract.label, definition });
      all.set(definition.key, list);
    }
  const merged = new Map<string, MergedDefinition>();
  for (const [key, list] of all) {
    const base = list[0]!.definition;
    const requiredBy = list.filter((d) => mustBeProvided(d.definition)).map((d) => d.label);
    const labels = new Set(list.map((d) => typeLabel(d.definition)));
    const conflict =
      labels.size > 1
        ? `Contracts disagree: ${list.map((d) => `${d.label} wants ${typeLabel(d.definition)}`).join("; ")}. This input follows ${list[0]!.label}.`
        : null;
    merged.set(key, {
      // Required when any contract needs it; the base's default only stands when none does.
      definition:
        requiredBy.length > 0 ? { ...base, required: true, default: undefined } : { ...base },
      sources: list.map((d) => d.label),
      requiredBy,
      conflict,
    });
  }
  return merged;
}

/** Without a contract, an input follows the JSON type of the value the service has now. */
function inferFeatureType(value: unknown): FeatureType {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return "string";
}

/** The contracts' features first (target first, in contract order), then the service's other keys (sorted). */
export function buildFeatureRows(
  features: Features,
  merged: ReadonlyMap<string, MergedDefinition>,
): FeatureRow[] {
  const rows: FeatureRow[] = [];
  for (const [key, { definition }] of merged)
    rows.push({
      key,
      type: definition.type,
      origin: "contract",
      removed: false,
      touched: false,
      value: toFormValue(definition, features[key]),
    });
  for (const key of Object.keys(features).sort()) {
    if (merged.has(key) || !has(features, key)) continue;
    const type = inferFeatureType(features[key]);
    rows.push({
      key,
      type,
      origin: "current",
      removed: false,
      touched: false,
      value: toFormValue({ type }, features[key]),
    });
  }
  return rows;
}

export function definitionForRow(
  row: Pick<FeatureRow, "key" | "type" | "origin">,
  merged: ReadonlyMap<string, MergedDefinition>,
): FeatureDefinition {
  const fromContract = row.origin === "contract" ? merged.get(row.key)?.definition : undefined;
  return fromContract ?? { key: row.key.trim(), type: row.type, required: false };
}

/** A row's value when the person switches its type: keeps the text, a switch starts off. */
export function valueForType(type: FeatureType, value: FeatureInputValue): FeatureInputValue {
  if (type === "boolean") return value === true || value === "true";
  return typeof value === "boolean" ? String(value) : value;
}

/**
 * Validates the rows (the contracts' rules for contract rows, the row's own type otherwise) and computes the
 * merge patch: changed values, keys marked with Remove as null, new keys. Text an input can't read is an
 * error, and so is an emptied field of a key the service has: only Remove deletes a key. A contract row whose
 * current value breaks a contract (e.g. "yes" for a boolean) is sent as the input shows it, so saving makes the
 * service fit.
 */
export function planFeaturePatch(
  rows: readonly FeatureRow[],
  features: Features,
  merged: ReadonlyMap<string, MergedDefinition>,
): { patch: FeaturePatch; errors: RowErrors } {
  const errors: RowErrors = new Map();
  const patch: FeaturePatch = {};
  const existingKeys = new Set(rows.filter((r) => r.origin !== "new").map((r) => r.key));
  const seenNew = new Set<string>();
  const contracts = [...merged.values()].map((m) => m.definition);
  const invalidNow = new Set(checkCompatibility("", features, contracts).invalid.map((i) => i.key));
  const fail = (index: number, error: { key?: string; value?: string }) =>
    errors.set(index, { ...errors.get(index), ...error });

  rows.forEach((row, index) => {
    const key = row.origin === "new" ? row.key.trim() : row.key;
    const present = row.origin !== "new" && has(features, key);
    if (row.removed) {
      if (present) patch[key] = null;
      return;
    }
    const definition = definitionForRow({ ...row, key }, merged);
    const parsed = parseFeatureInput(definition, row.value);

    if (row.origin === "new") {
      const blank = parsed.kind === "empty" || (row.type === "boolean" && !row.touched);
      if (key === "") {
        // An untouched blank row is ignored; a value without a key is a mistake worth pointing at.
        if (!blank) fail(index, { key: "Give the new feature a key" });
        return;
      }
      if (key.length > 128) return void fail(index, { key: "Use at most 128 characters" });
      if (existingKeys.has(key) || seenNew.has(key))
        return void fail(index, { key: `“${key}” is already listed: change it there` });
      seenNew.add(key);
      if (parsed.kind === "invalid") return void fail(index, { value: parsed.message });
      if (parsed.kind === "empty")
        return void fail(index, {
          value: `Enter ${describeType(row.type)} for ${key}, or discard the new feature`,
        });
      patch[key] = parsed.value;
      return;
    }

    if (parsed.kind === "invalid") return void fail(index, { value: parsed.message });
    if (parsed.kind === "empty") {
      const requiredBy = merged.get(key)?.requiredBy ?? [];
      if (requiredBy.length > 0)
        fail(index, { value: `${key} is required by ${requiredBy.join(", ")}` });
      else if (present)
        fail(index, {
          value: `Enter a value for ${key}, or use Remove to delete it`,
        });
      return;
    }
    if (!row.touched && !invalidNow.has(key) && present) return;
    if (!row.touched && !present) return;
    if (!present || !jsonEqual(parsed.value, features[key])) patch[key] = parsed.value;
  });
  return { patch, errors };
}
