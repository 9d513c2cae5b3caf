// The one dialect of the hot paths: statements are Drizzle SQL built from the schema's columns, rendered to text
// and bind parameters by Drizzle's PostgreSQL dialect just before a driver runs them (decision 022's named
// prepared statements keep their names: the same builder renders the same text every time).
import "server-only";
import { is, SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Run, Statement, Tx } from "./types";

const dialect = new PgDialect();

/** A statement's text and bind parameters, as a driver takes them. */
export type Rendered = { text: string; params: unknown[]; name?: string };

/** Renders a statement (or bare SQL) through Drizzle's dialect. */
export function render(statement: Statement | SQL): Rendered {
  const { sql: query, name } = is(statement, SQL) ? { sql: statement, name: undefined } : statement;
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { text, params, name };
}

/** The same runner on a Drizzle transaction (the cold writes), so one statement builder serves both. */
export function runOnTx(tx: Pick<Tx, "execute">): Run {
  return async <R>(statement: Statement | SQL) => {
    const query = is(statement, SQL) ? statement : statement.sql;
    // Both drivers answer execute() with { rows }: the raw rows, as the batch runner gets them.
    return ((await tx.execute(query)) as unknown as { rows: R[] }).rows;
  };
}
