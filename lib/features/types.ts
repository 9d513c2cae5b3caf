// The contract's JSON shapes are defined with the tables that store them (db/schema.ts); the domain code and the
// browser use them from here. Type-only: nothing of the database reaches a browser bundle.
import type { FeatureType } from "@/db/schema";

export type { FeatureDefinition, FeatureType, FeatureValue, Features } from "@/db/schema";

/** Every FeatureType, at run time (forms, validation); the check below fails to compile if one is missing. */
export const FEATURE_TYPES = [
  "string",
  "number",
  "integer",
  "boolean",
  "enum",
] as const satisfies readonly FeatureType[];
type MissingFeatureType = Exclude<FeatureType, (typeof FEATURE_TYPES)[number]>;
const _everyFeatureTypeListed: [MissingFeatureType] extends [never] ? true : never = true;
void _everyFeatureTypeListed;

// `got` is JSON.stringify of the bad value (e.g. "\"ten\""); `expected` is e.g. "integer" or "one of: a, b".
export type InvalidFeature = { key: string; expected: string; got: string };

export type CompatibilityResult = {
  service_id: string;
  compatible: boolean;
  missing: string[];
  invalid: InvalidFeature[];
  unused: string[];
};
