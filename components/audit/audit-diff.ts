// What an audit entry changed: the top-level fields whose value differs between before and after.
import { jsonEqual } from "@/lib/features/json-equal";

type AuditChange = { field: string; before: unknown; after: unknown };

const asObject = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/** Fields that change on every write and say nothing (timestamps of the row itself). */
const NOISE = new Set(["updated_at"]);

export function auditChanges(before: unknown, after: unknown): AuditChange[] {
  const b = asObject(before);
  const a = asObject(after);
  if (!b && !a) return jsonEqual(before, after) ? [] : [{ field: "(value)", before, after }];
  const fields = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].sort();
  return fields
    .filter((f) => !NOISE.has(f) || !b)
    .map((field) => ({
      field,
      before: b ? (field in b ? b[field] : undefined) : undefined,
      after: a ? (field in a ? a[field] : undefined) : undefined,
    }))
    .filter((c) => !jsonEqual(c.before, c.after));
}

export const showValue = (value: unknown): string =>
  value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
