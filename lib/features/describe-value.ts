// Renders a value the way it would appear in JSON, so messages quote what the caller sent.
export function describeValue(value: unknown): string {
  // JSON.stringify turns NaN/Infinity into "null", which would hide why the value was rejected.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (value === undefined) return "undefined";
  try {
    const json = JSON.stringify(value);
    // Functions and symbols serialize to undefined.
    return json === undefined ? String(value) : json;
  } catch {
    // BigInt and circular structures throw.
    return typeof value === "bigint" ? `${value.toString()}n` : String(value);
  }
}
