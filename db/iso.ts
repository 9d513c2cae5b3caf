/** A timestamp column as ISO 8601 (UTC): drivers give Dates, JSON-built rows give strings. */
export function toIso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
