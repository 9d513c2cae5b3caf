// Fixtures shared by this folder's unit tests: a revision's content, and the contract and target the repair tests
// fix blocking services for.
import type { FeatureDefinition } from "@/lib/features/types";

/** example-model 1.0.0 with no role or settings, as the demo seeds it. */
export const seededRevision = {
  model_id: "example-model",
  model_version: "1.0.0",
  role: null,
  settings: {},
  metadata: { seeded: true },
};

/** The version the blocking services are fixed for. */
export const TARGET = "example-model@2.0.0";

/** A contract requiring `route`, with an optional boolean `night_service`, then the definitions a test adds. */
export function routeContract(...more: FeatureDefinition[]): FeatureDefinition[] {
  return [
    { key: "route", type: "string", required: true },
    { key: "night_service", type: "boolean", required: false },
    ...more,
  ];
}
