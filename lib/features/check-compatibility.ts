import { describeValue } from "./describe-value";
import { expectedTypeLabel, matchesFeatureType } from "./match-feature-type";
import type {
  CompatibilityResult,
  FeatureDefinition,
  FeatureType,
  Features,
  InvalidFeature,
} from "./types";

type CompiledFeature = {
  key: string;
  type: FeatureType;
  // Required with no usable default: the service itself must provide it.
  mustBeProvided: boolean;
  allowed: ReadonlySet<string> | null;
  expected: string;
};

type CompiledContract = {
  features: readonly CompiledFeature[];
  byKey: ReadonlyMap<string, CompiledFeature>;
};

// Contracts are frozen once a version is registered, so the compiled form can be reused across
// the thousands of services checked per request, keyed by the contract array's identity.
const compiledContracts = new WeakMap<readonly FeatureDefinition[], CompiledContract>();

function compileContract(contract: readonly FeatureDefinition[]): CompiledContract {
  const cached = compiledContracts.get(contract);
  if (cached) return cached;
  const features: CompiledFeature[] = [];
  const byKey = new Map<string, CompiledFeature>();
  for (const definition of contract) {
    // Registration rejects duplicate keys; if one slips through, the first definition wins
    // so a key is never reported twice.
    if (byKey.has(definition.key)) continue;
    const compiled: CompiledFeature = {
      key: definition.key,
      type: definition.type,
      mustBeProvided:
        definition.required && (definition.default === undefined || definition.default === null),
      allowed: definition.type === "enum" ? new Set(definition.allowed_values ?? []) : null,
      expected: expectedTypeLabel(definition.type, definition.allowed_values),
    };
    features.push(compiled);
    byKey.set(compiled.key, compiled);
  }
  const result: CompiledContract = { features, byKey };
  compiledContracts.set(contract, result);
  return result;
}

// hasOwn guards against keys such as "constructor" or "toString" resolving through the prototype.
function providedValue(features: Features, key: string): unknown {
  return Object.hasOwn(features, key) ? features[key] : undefined;
}

function isCompatibleWith(features: Features, compiled: CompiledContract): boolean {
  for (const feature of compiled.features) {
    const value = providedValue(features, feature.key);
    if (value === undefined || value === null) {
      if (feature.mustBeProvided) return false;
    } else if (!matchesFeatureType(value, feature.type, feature.allowed)) {
      return false;
    }
  }
  return true;
}

function buildResult(
  serviceId: string,
  features: Features,
  compiled: CompiledContract,
): CompatibilityResult {
  const missing: string[] = [];
  const invalid: InvalidFeature[] = [];
  const unused: string[] = [];
  for (const feature of compiled.features) {
    const value = providedValue(features, feature.key);
    if (value === undefined || value === null) {
      if (feature.mustBeProvided) missing.push(feature.key);
    } else if (!matchesFeatureType(value, feature.type, feature.allowed)) {
      invalid.push({ key: feature.key, expected: feature.expected, got: describeValue(value) });
    }
  }
  for (const key in features) {
    if (Object.hasOwn(features, key) && !compiled.byKey.has(key)) unused.push(key);
  }
  unused.sort();
  return {
    service_id: serviceId,
    compatible: missing.length === 0 && invalid.length === 0,
    missing,
    invalid,
    unused,
  };
}

export function checkCompatibility(
  serviceId: string,
  features: Features,
  contract: readonly FeatureDefinition[],
): CompatibilityResult {
  return buildResult(serviceId, features, compileContract(contract));
}

export function isCompatible(features: Features, contract: readonly FeatureDefinition[]): boolean {
  return isCompatibleWith(features, compileContract(contract));
}

export function findBlockingServices(
  services: readonly { service_id: string; features: Features }[],
  contract: readonly FeatureDefinition[],
): CompatibilityResult[] {
  const compiled = compileContract(contract);
  const blocking: CompatibilityResult[] = [];
  for (const service of services) {
    // Most services pass; checking first avoids building a result that would be thrown away.
    if (!isCompatibleWith(service.features, compiled)) {
      blocking.push(buildResult(service.service_id, service.features, compiled));
    }
  }
  return blocking;
}
