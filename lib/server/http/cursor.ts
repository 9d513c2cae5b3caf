// Opaque pagination cursors: the sort key of the last item of a page, base64url-encoded JSON.
import "server-only";
import { badRequest } from "../../shared/errors";

export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), "utf8").toString("base64url");
}

// A tampered cursor must be a 400, not a database error: numeric sort keys are int4 columns (revisions), and
// PostgreSQL text can't hold U+0000.
function fitsSortKey(value: unknown, type: "string" | "number"): boolean {
  if (type === "number")
    return Number.isInteger(value) && Math.abs(value as number) <= 2_147_483_647;
  return typeof value === "string" && !value.includes("\u0000");
}

export function decodeCursor(
  cursor: string | undefined,
  types: readonly ("string" | "number")[],
): (string | number)[] | null {
  if (cursor === undefined || cursor === "") return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (
      Array.isArray(values) &&
      values.length === types.length &&
      values.every((v, i) => fitsSortKey(v, types[i]!))
    ) {
      return values as (string | number)[];
    }
  } catch {
    // fall through
  }
  throw badRequest("Invalid cursor: pass the next_cursor value of the previous page unchanged");
}

/** Splits limit+1 fetched rows into a page and the cursor of the next one. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => (string | number)[],
): { items: T[]; next_cursor: string | null } {
  if (rows.length <= limit) return { items: rows, next_cursor: null };
  const items = rows.slice(0, limit);
  return { items, next_cursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}
