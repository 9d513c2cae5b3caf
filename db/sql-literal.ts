// Inlines parameters as SQL literals, for statements that travel in one multi-statement (simple protocol) round
// trip with BEGIN or COMMIT, which cannot carry bind parameters.
import "server-only";
const NUL = String.fromCharCode(0);

export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("cannot inline a non-finite number");
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `ARRAY[${value.map(sqlLiteral).join(", ")}]::text[]`;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text.includes(NUL)) throw new Error("cannot inline a NUL character");
  // As node-postgres' escapeLiteral: double the quotes; with a backslash, use an E'' string and double it too,
  // so the result is the same whatever standard_conforming_strings says.
  const quoted = text.replace(/'/g, "''");
  return text.includes("\\") ? ` E'${quoted.replace(/\\/g, "\\\\")}'` : `'${quoted}'`;
}

/** Replaces $1…$n in a statement written for bind parameters with the literals of `params`. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length) throw new Error(`no parameter $${n}`);
    return sqlLiteral(params[index]);
  });
}
