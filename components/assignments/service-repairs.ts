// The features a person types to make blocking services compatible with the target version, kept apart from
// the preview that reports them: the preview shrinks as services get fixed, but what was typed (and which inputs
// were asked for) must stay, so nothing disappears under the person's cursor or is lost on a 422.
import type { BlockingService } from "@/lib/browser/api-client/types";
import { mustBeProvided, parseFeatureInput } from "@/lib/features/contract-form";
import type { FeatureDefinition, FeatureValue, InvalidFeature } from "@/lib/features/types";

/** A typed value as the input holds it; absent = the person has not touched that input yet. */
export type FixValue = string | boolean;

type FeatureProblem = { kind: "missing" } | { kind: "invalid"; expected: string; got: string };

/** For one target (model@version): each service ever reported as blocking, with each feature it was asked for. */
type NeededFixes = Record<string, Record<string, FeatureProblem>>;

export type RepairState = {
  /** Typed values per service and feature; shared by every target so switching versions keeps them. */
  values: Record<string, Record<string, FixValue>>;
  /** Per target ("model@version"), in the order services were first reported. */
  needed: Record<string, NeededFixes>;
};

export const emptyRepairs: RepairState = { values: {}, needed: {} };

export const targetKey = (modelId: string, version: string) => `${modelId}@${version}`;

/** The id of the input for one feature of one service to fix (focused when Save finds it invalid). */
export const fixInputId = (serviceId: string, key: string) => `fix-${serviceId}-${key}`;

/** Adds what a preview or a 422 reported for a target; keeps what was known before (the first problem wins). */
export function recordBlocking(
  state: RepairState,
  target: string,
  blocking: readonly BlockingService[],
): RepairState {
  if (blocking.length === 0) return state;
  const current = state.needed[target] ?? {};
  let changed = false;
  const next: NeededFixes = { ...current };
  for (const service of blocking) {
    const features = { ...(next[service.service_id] ?? {}) };
    const problems: [string, FeatureProblem][] = [
      ...service.missing.map((key): [string, FeatureProblem] => [key, { kind: "missing" }]),
      ...service.invalid.map((i: InvalidFeature): [string, FeatureProblem] => [
        i.key,
        { kind: "invalid", expected: i.expected, got: i.got },
      ]),
    ];
    for (const [key, problem] of problems) {
      if (features[key]) continue;
      features[key] = problem;
      changed = true;
    }
    next[service.service_id] = features;
  }
  return changed ? { ...state, needed: { ...state.needed, [target]: next } } : state;
}

export function setFixValue(
  state: RepairState,
  serviceId: string,
  key: string,
  value: FixValue,
): RepairState {
  return {
    ...state,
    values: { ...state.values, [serviceId]: { ...(state.values[serviceId] ?? {}), [key]: value } },
  };
}

/** One value for a feature of many services at once ("one value for a group"). */
export function setFixValues(
  state: RepairState,
  serviceIds: readonly string[],
  key: string,
  value: FixValue,
): RepairState {
  const values = { ...state.values };
  for (const id of serviceIds) values[id] = { ...(values[id] ?? {}), [key]: value };
  return { ...state, values };
}

/** Many values at once (a CSV import): one copy of the state, however many entries. */
export function setManyFixValues(
  state: RepairState,
  entries: readonly { serviceId: string; key: string; value: FixValue }[],
): RepairState {
  const values = { ...state.values };
  const copied = new Set<string>();
  for (const { serviceId, key, value } of entries) {
    if (!copied.has(serviceId)) {
      values[serviceId] = { ...(values[serviceId] ?? {}) };
      copied.add(serviceId);
    }
    values[serviceId]![key] = value;
  }
  return { ...state, values };
}

/** Forgets what was typed for one feature of one service (undo): the input is asked for again. */
export function clearFixValue(state: RepairState, serviceId: string, key: string): RepairState {
  const current = state.values[serviceId];
  if (!current || !(key in current)) return state;
  const rest = { ...current };
  delete rest[key];
  return { ...state, values: { ...state.values, [serviceId]: rest } };
}

export type FieldCheck = {
  key: string;
  problem: FeatureProblem;
  /** The target contract's definition; null when the feature comes from another key's contract. */
  definition: FeatureDefinition | null;
  value: FixValue | undefined;
  /** The client-side validation message for a touched value. */
  error: string | null;
  /** The value to send, when touched and valid. */
  parsed: { value: FeatureValue } | null;
};

export type ServiceFix = {
  serviceId: string;
  fields: FieldCheck[];
  /** Every asked-for feature is touched and valid. */
  complete: boolean;
  /** What goes into service_updates for this service (empty when nothing valid was typed). */
  staticFeatures: Record<string, FeatureValue>;
};

export function checkFixes(
  state: RepairState,
  target: string,
  contract: readonly FeatureDefinition[],
): ServiceFix[] {
  const byKey = new Map(contract.map((d) => [d.key, d]));
  const needed = state.needed[target] ?? {};
  return Object.entries(needed).map(([serviceId, features]) => {
    const values = state.values[serviceId] ?? {};
    const fields = Object.entries(features).map(([key, problem]): FieldCheck => {
      const definition = byKey.get(key) ?? null;
      const value = values[key];
      if (!definition || value === undefined)
        return { key, problem, definition, value, error: null, parsed: null };
      // An empty input is not a fix (and never removes the key): the field stays asked for.
      const result = parseFeatureInput(definition, value);
      if (result.kind === "empty")
        return {
          key,
          problem,
          definition,
          value,
          error: mustBeProvided(definition) ? `${key} is required by this version` : null,
          parsed: null,
        };
      return result.kind === "value"
        ? { key, problem, definition, value, error: null, parsed: { value: result.value } }
        : { key, problem, definition, value, error: result.message, parsed: null };
    });
    const staticFeatures: Record<string, FeatureValue> = {};
    for (const f of fields) if (f.parsed) staticFeatures[f.key] = f.parsed.value;
    return { serviceId, fields, complete: fields.every((f) => f.parsed !== null), staticFeatures };
  });
}

/** What goes into service_updates: the valid values typed, except for services kept where they are (pinned). */
export function serviceUpdatesOf(
  fixes: readonly ServiceFix[],
  pinned: ReadonlySet<string> = new Set(),
): { service_id: string; static_features: Record<string, FeatureValue> }[] {
  return fixes
    .filter((f) => Object.keys(f.staticFeatures).length > 0 && !pinned.has(f.serviceId))
    .map((f) => ({ service_id: f.serviceId, static_features: f.staticFeatures }));
}
