// A service that blocks a change: what its features lack for the contracts it must satisfy, and the one wording of
// the 422 that refuses the change (assignment upserts and service writes alike).
import type { BlockingService } from "@/lib/schemas/features";
import type { CompatibilityResult, InvalidFeature } from "./types";

/**
 * Merges one service's compatibility results (one per contract it must satisfy) into its blocking entry: every
 * missing key once, the first invalid report per key. Null when every result is compatible.
 */
export function blockingEntry(
  serviceId: string,
  results: readonly CompatibilityResult[],
): BlockingService | null {
  const missing = new Set<string>();
  const invalid = new Map<string, InvalidFeature>();
  for (const r of results) {
    if (r.compatible) continue;
    for (const m of r.missing) missing.add(m);
    for (const i of r.invalid) if (!invalid.has(i.key)) invalid.set(i.key, i);
  }
  if (missing.size === 0 && invalid.size === 0) return null;
  return { service_id: serviceId, missing: [...missing], invalid: [...invalid.values()] };
}

/** What the change refused would have done: assign a model version, or change one service's features. */
export type BlockedChange =
  | { kind: "assignment"; modelId: string; version: string }
  | { kind: "service-features"; serviceId: string }
  /** A bulk write of many services' features (PATCH …/services). */
  | { kind: "services-features" };

/** `missing a, b; k should be integer, got "x"`: what one blocking service lacks. */
function shortfall(entry: BlockingService): string {
  return [
    ...(entry.missing.length ? [`missing ${entry.missing.join(", ")}`] : []),
    ...entry.invalid.map((i) => `${i.key} should be ${i.expected}, got ${i.got}`),
  ].join("; ");
}

/** The message of a 422 "Feature contract mismatch"; `blocking` is never empty. */
export function blockingMessage(
  blocking: readonly BlockingService[],
  change: BlockedChange,
): string {
  if (change.kind === "service-features") {
    return (
      `Feature contract mismatch: service "${change.serviceId}" would no longer satisfy the model versions assigned to it (${blocking.map(shortfall).join("; ")}). ` +
      `Keep the features those versions need, or change the assignments first.`
    );
  }
  if (change.kind === "services-features") {
    if (blocking.length === 1)
      return blockingMessage(blocking, {
        kind: "service-features",
        serviceId: blocking[0]!.service_id,
      });
    const shown = blocking.slice(0, 5).map((b) => `${b.service_id} (${shortfall(b)})`);
    const more = blocking.length > 5 ? ` and ${blocking.length - 5} more` : "";
    return (
      `Feature contract mismatch: ${blocking.length} services would no longer satisfy the model versions assigned to them: ${shown.join(", ")}${more}. ` +
      `Keep the features those versions need, or change the assignments first; blocking_services lists them all.`
    );
  }
  const { modelId, version } = change;
  const shown = blocking.slice(0, 5).map((b) => `${b.service_id} (${shortfall(b)})`);
  const more = blocking.length > 5 ? ` and ${blocking.length - 5} more` : "";
  const noun = blocking.length === 1 ? "service is" : "services are";
  return (
    `Feature contract mismatch: ${blocking.length} ${noun} not compatible with ${modelId} ${version}: ${shown.join(", ")}${more}. ` +
    `Provide the features with service_updates (or PATCH the services) and retry; blocking_services lists them all.`
  );
}
