import { jsonEqual } from "./json-equal";
import type { Features } from "./types";

export type MergeFeaturesResult = { features: Features; changed: boolean };

// Plain assignment of "__proto__" would replace the object's prototype instead of creating a key.
function setOwn(target: Features, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

// RFC 7396 at the top level only: a null removes the key, anything else replaces it whole
// (nested objects are not merged, because a feature value is one unit checked against one type).
export function mergeFeatures(current: Features, patch: Features): MergeFeaturesResult {
  const features: Features = {};
  for (const key of Object.keys(current)) setOwn(features, key, current[key]);
  let changed = false;
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    // undefined cannot come from JSON; treating it as "not in the patch" matches what JSON.stringify would send.
    if (value === undefined) continue;
    const present = Object.hasOwn(features, key);
    if (value === null) {
      if (present) {
        delete features[key];
        changed = true;
      }
    } else if (!present || !jsonEqual(features[key], value)) {
      setOwn(features, key, value);
      changed = true;
    }
  }
  return { features, changed };
}
