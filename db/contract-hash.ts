// A model version's contract hash: SHA-256 (hex) of its feature contract in canonical JSON. Services report the hash
// of the contract they hold; one that differs from the approved version's is a contract mismatch
// (docs/decisions/090-contract-hash.md, docs/observed-state.md).
import { createHash } from "node:crypto";

/** Keys in Unicode code point order (the UTF-8 byte order PostgreSQL's COLLATE "C" gives, not UTF-16's). */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, arrays in their order, strings and numbers as
 * JSON.stringify writes them; `undefined` members are left out (as JSON.stringify does).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byCodePoint(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
  return text;
}

/** SHA-256 (lowercase hex) of the contract's canonical JSON. */
export function contractHash(features: unknown): string {
  return createHash("sha256").update(canonicalJson(features), "utf8").digest("hex");
}
