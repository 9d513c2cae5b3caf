import { describeValue } from "./describe-value";
import type { FeatureDefinition, FeatureValue } from "./types";

export type ContractChange = {
  key: string;
  change:
    | "added"
    | "removed"
    | "retyped"
    | "required_changed"
    | "default_changed"
    | "allowed_values_changed";
  from: FeatureDefinition | null;
  to: FeatureDefinition | null;
  impact: "compatible" | "breaking";
  reason: string;
};

export type ContractDiff = { changes: ContractChange[]; breaking: boolean };

// Retypes under which every value valid for the old type stays valid for the new one.
const WIDENING_RETYPES: ReadonlySet<string> = new Set(["integer->number", "enum->string"]);

function defaultOf(definition: FeatureDefinition): FeatureValue | null {
  return definition.default ?? null;
}

function indexByKey(contract: readonly FeatureDefinition[]): Map<string, FeatureDefinition> {
  const byKey = new Map<string, FeatureDefinition>();
  // Same rule as the compatibility check: the first definition of a key wins.
  for (const definition of contract)
    if (!byKey.has(definition.key)) byKey.set(definition.key, definition);
  return byKey;
}

function quoteList(values: readonly string[]): string {
  return values.map((value) => describeValue(value)).join(", ");
}

function added(key: string, to: FeatureDefinition): ContractChange {
  const name = `feature ${describeValue(key)}`;
  const toDefault = defaultOf(to);
  if (!to.required) {
    return {
      key,
      change: "added",
      from: null,
      to,
      impact: "compatible",
      reason: `${name} was added as optional; services without it stay compatible`,
    };
  }
  if (toDefault !== null) {
    return {
      key,
      change: "added",
      from: null,
      to,
      impact: "compatible",
      reason: `${name} was added as required with default ${describeValue(toDefault)}; services without it use the default`,
    };
  }
  return {
    key,
    change: "added",
    from: null,
    to,
    impact: "breaking",
    reason: `${name} was added as required with no default; services that do not provide it become incompatible`,
  };
}

function compareDefinitions(
  key: string,
  from: FeatureDefinition,
  to: FeatureDefinition,
): ContractChange[] {
  const name = `feature ${describeValue(key)}`;
  const changes: ContractChange[] = [];
  const fromDefault = defaultOf(from);
  const toDefault = defaultOf(to);

  if (from.type !== to.type) {
    const widening = WIDENING_RETYPES.has(`${from.type}->${to.type}`);
    changes.push({
      key,
      change: "retyped",
      from,
      to,
      impact: widening ? "compatible" : "breaking",
      reason: widening
        ? `${name} changed type from ${from.type} to ${to.type}; every ${from.type} value is a valid ${to.type}, so provided values stay valid`
        : `${name} changed type from ${from.type} to ${to.type}; values valid as ${from.type} may be rejected as ${to.type}`,
    });
  }

  if (from.required !== to.required) {
    if (!to.required) {
      changes.push({
        key,
        change: "required_changed",
        from,
        to,
        impact: "compatible",
        reason: `${name} became optional; services stay compatible`,
      });
    } else if (toDefault !== null) {
      changes.push({
        key,
        change: "required_changed",
        from,
        to,
        impact: "compatible",
        reason: `${name} became required with default ${describeValue(toDefault)}; services without it use the default`,
      });
    } else {
      changes.push({
        key,
        change: "required_changed",
        from,
        to,
        impact: "breaking",
        reason: `${name} became required with no default; services that do not provide it become incompatible`,
      });
    }
  }

  if (fromDefault !== toDefault) {
    if (toDefault === null && fromDefault !== null && to.required) {
      changes.push({
        key,
        change: "default_changed",
        from,
        to,
        impact: "breaking",
        reason: `${name} lost its default ${describeValue(fromDefault)} and is required; services that relied on the default become incompatible`,
      });
    } else {
      const reason =
        fromDefault === null
          ? `${name} gained the default ${describeValue(toDefault)}; services stay compatible`
          : toDefault === null
            ? `${name} lost its default ${describeValue(fromDefault)}; it is optional, so services stay compatible`
            : `${name} changed its default from ${describeValue(fromDefault)} to ${describeValue(toDefault)}; services stay compatible`;
      changes.push({ key, change: "default_changed", from, to, impact: "compatible", reason });
    }
  }

  if (from.type === "enum" && to.type === "enum") {
    const fromValues = from.allowed_values ?? [];
    const toValues = to.allowed_values ?? [];
    const toSet = new Set(toValues);
    const fromSet = new Set(fromValues);
    const removedValues = fromValues.filter((value) => !toSet.has(value));
    const addedValues = toValues.filter((value) => !fromSet.has(value));
    // Reordering values changes nothing a service could notice, so only membership is compared.
    if (removedValues.length > 0) {
      const alsoAdded =
        addedValues.length > 0 ? ` (and now also allows ${quoteList(addedValues)})` : "";
      changes.push({
        key,
        change: "allowed_values_changed",
        from,
        to,
        impact: "breaking",
        reason: `${name} no longer allows ${quoteList(removedValues)}${alsoAdded}; services providing a removed value become incompatible`,
      });
    } else if (addedValues.length > 0) {
      changes.push({
        key,
        change: "allowed_values_changed",
        from,
        to,
        impact: "compatible",
        reason: `${name} now also allows ${quoteList(addedValues)}; provided values stay valid`,
      });
    }
  }

  return changes;
}

function compareChanges(a: ContractChange, b: ContractChange): number {
  // Code-unit order rather than localeCompare, so the output does not depend on the server's locale.
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.change !== b.change) return a.change < b.change ? -1 : 1;
  return 0;
}

// A change is breaking when a service compatible with `from` could fail `to` because of it.
export function diffContracts(
  from: readonly FeatureDefinition[],
  to: readonly FeatureDefinition[],
): ContractDiff {
  const fromByKey = indexByKey(from);
  const toByKey = indexByKey(to);
  const changes: ContractChange[] = [];

  for (const [key, before] of fromByKey) {
    const after = toByKey.get(key);
    if (after === undefined) {
      changes.push({
        key,
        change: "removed",
        from: before,
        to: null,
        impact: "compatible",
        reason: `feature ${describeValue(key)} was removed; services that provide it keep it as an unused feature`,
      });
    } else {
      changes.push(...compareDefinitions(key, before, after));
    }
  }
  for (const [key, after] of toByKey) {
    if (!fromByKey.has(key)) changes.push(added(key, after));
  }

  changes.sort(compareChanges);
  return { changes, breaking: changes.some((change) => change.impact === "breaking") };
}
