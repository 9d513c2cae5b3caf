// The rows of the inline features editor, and what a save sends: pure functions, so the rules (which rows are
// sent, how empty fields and removals become a merge patch) are tested without a browser.
import { checkCompatibility } from "@/lib/features/check-compatibility";
import { contractFormSchema, toFormValue } from "@/lib/features/contract-form";
import type { FeatureDefinition, FeatureType, FeatureValue, Features } from "@/lib/features/types";

export type FeatureRow = {
  /** The feature key; typed by the person for a new row. */
  key: string;
  type: FeatureType;
  /** contract: defined by the chosen version's contract; current: a key the service has; new: being added. */
  origin: "contract" | "current" | "new";
  /** Marked for removal: saves as null (a merge patch's "remove this key"). */
  removed: boolean;
  /** What the input shows: a string for text/number/select inputs, a boolean for a switch. */
  value: string | boolean;
};

export type RowErrors = Map<number, { key?: string; value?: string }>;
export type FeaturePatch = Record<string, FeatureValue | null>;

const has = (features: Features, key: string) =>
  Object.hasOwn(features, key) && features[key] !== null && features[key] !== undefined;

/** Without a contract, an input follows the JSON type of the value the service has now. */
export function inferFeatureType(value: unknown): FeatureType {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return "number";
  return "string";
}

/** The contract's features first (in contract order), then the service's other keys (sorted). */
export function buildFeatureRows(
  features: Features,
  contract: readonly FeatureDefinition[] | null,
): FeatureRow[] {
  const rows: FeatureRow[] = [];
  const listed = new Set<string>();
  for (const definition of contract ?? []) {
    if (listed.has(definition.key)) continue;
    listed.add(definition.key);
    rows.push({
      key: definition.key,
      type: definition.type,
      origin: "contract",
      removed: false,
      value: toFormValue(definition, features[definition.key]),
    });
  }
  for (const key of Object.keys(features).sort()) {
    if (listed.has(key) || !has(features, key)) continue;
    const type = inferFeatureType(features[key]);
    rows.push({
      key,
      type,
      origin: "current",
      removed: false,
      value: toFormValue({ key, type, required: false }, features[key]),
    });
  }
  return rows;
}

export function definitionForRow(
  row: Pick<FeatureRow, "key" | "type" | "origin">,
  contract: readonly FeatureDefinition[] | null,
): FeatureDefinition {
  const fromContract =
    row.origin === "contract" ? contract?.find((d) => d.key === row.key) : undefined;
  return fromContract ?? { key: row.key.trim(), type: row.type, required: false };
}

/**
 * Validates the rows (the contract's rules for contract rows, the row's own type otherwise) and computes the
 * merge patch: changed values, removed keys as null, new keys. A contract row whose current value breaks the
 * contract (e.g. "yes" for a boolean) is sent as the input shows it, so saving makes the service fit.
 */
export function planFeaturePatch(
  rows: readonly FeatureRow[],
  initial: readonly FeatureRow[],
  features: Features,
  contract: readonly FeatureDefinition[] | null,
): { patch: FeaturePatch; errors: RowErrors } {
  const errors: RowErrors = new Map();
  const initialValue = new Map(
    initial.filter((r) => r.origin !== "new").map((r) => [r.key, r.value]),
  );
  const existingKeys = new Set(rows.filter((r) => r.origin !== "new").map((r) => r.key));
  const invalidNow = new Set(
    contract ? checkCompatibility("", features, contract).invalid.map((i) => i.key) : [],
  );

  const definitions: FeatureDefinition[] = [];
  const input: Record<string, unknown> = {};
  const indexByKey = new Map<string, number>();
  rows.forEach((row, index) => {
    if (row.removed) return;
    const key = row.origin === "new" ? row.key.trim() : row.key;
    if (row.origin === "new") {
      if (key === "") {
        // An untouched blank row is ignored; a value without a key is a mistake worth pointing at.
        if (typeof row.value === "string" && row.value.trim() !== "")
          errors.set(index, { key: "Give the new feature a key" });
        return;
      }
      if (key.length > 128) {
        errors.set(index, { key: "A feature key has at most 128 characters" });
        return;
      }
      if (existingKeys.has(key) || indexByKey.has(key)) {
        errors.set(index, { key: `“${key}” is already listed: change it there` });
        return;
      }
    }
    indexByKey.set(key, index);
    definitions.push(definitionForRow({ ...row, key }, contract));
    input[key] = row.value;
  });

  const parsed = contractFormSchema(definitions).safeParse(input);
  const values: Record<string, FeatureValue | null> = parsed.success
    ? (parsed.data as Record<string, FeatureValue | null>)
    : {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const index = indexByKey.get(String(issue.path[0]));
      if (index !== undefined && !errors.get(index)?.value)
        errors.set(index, { ...errors.get(index), value: issue.message });
    }
  }

  const patch: FeaturePatch = {};
  rows.forEach((row) => {
    const key = row.origin === "new" ? row.key.trim() : row.key;
    const present = row.origin !== "new" && has(features, key);
    if (row.removed) {
      if (present) patch[key] = null;
      return;
    }
    if (!indexByKey.has(key) || indexByKey.get(key) !== rows.indexOf(row)) return;
    const value = values[key] ?? null;
    if (row.origin === "new") {
      if (value !== null) patch[key] = value;
      return;
    }
    const touched = row.value !== initialValue.get(key) || invalidNow.has(key);
    if (!touched) return;
    if (value === null ? present : value !== features[key]) patch[key] = value;
  });
  return { patch, errors };
}
