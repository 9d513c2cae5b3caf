// The seed PUT's statements as the app sends them (captured into bare-put-sql.json by bench/bare-put.sh), and how
// to fill their parameters: shared by the bare node:http + pg server and the SQL-only bench (bench/pg-put.ts).
import fs from "node:fs";
import path from "node:path";

/** A statement as the app sends it: its name, text, and which value goes in each positional parameter. */
export type Captured = { name: string; text: string; params: string[] };

/** The captured lock, context read and write statements of one seed PUT (BARE_PUT_SQL: another file, for trying a variant). */
export function capturedPutSql(): { lock: Captured; context: Captured; write: Captured } {
  return JSON.parse(
    fs.readFileSync(
      process.env.BARE_PUT_SQL ?? path.join(import.meta.dirname, "bare-put-sql.json"),
      "utf8",
    ),
  ) as {
    lock: Captured;
    context: Captured;
    write: Captured;
  };
}

/** The statement with its parameters filled from `values` by the captured names. */
export function bind(statement: Captured, values: Record<string, unknown>) {
  return {
    name: statement.name,
    text: statement.text,
    values: statement.params.map((n) => {
      if (n === "null") return null;
      if (n === "emptyArray") return [];
      if (!(n in values)) throw new Error(`no value for parameter ${n} of ${statement.name}`);
      return values[n];
    }),
  };
}
