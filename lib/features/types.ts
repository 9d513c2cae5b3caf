export const FEATURE_TYPES = ["string", "number", "integer", "boolean", "enum"] as const;

export type FeatureType = (typeof FEATURE_TYPES)[number];

export type FeatureValue = string | number | boolean;

export type FeatureDefinition = {
  key: string;
  type: FeatureType;
  required: boolean;
  default?: FeatureValue | null;
  allowed_values?: string[];
  description?: string;
};

// A service's provided_features: arbitrary JSON values, checked against a contract.
export type Features = Record<string, unknown>;

// `got` is JSON.stringify of the bad value (e.g. "\"ten\""); `expected` is e.g. "integer" or "one of: a, b".
export type InvalidFeature = { key: string; expected: string; got: string };

export type CompatibilityResult = {
  service_id: string;
  compatible: boolean;
  missing: string[];
  invalid: InvalidFeature[];
  unused: string[];
};
