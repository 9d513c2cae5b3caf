// The one dialect of the hot paths: statements are Drizzle SQL built from the schema's columns, rendered to text
// and bind parameters by Drizzle's PostgreSQL dialect just before a driver runs them (decision 022's named
// prepared statements keep their names: the same builder renders the same text every time).
import "server-only";
import { fillPlaceholders, is, sql, SQL, type Placeholder } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Db, PreparedStatement, Query, Run, Statement, Tx } from "./types";

const dialect = new PgDialect();

/** A statement's text and bind parameters, as a driver takes them. */
export type Rendered = PreparedStatement;

/** Renders a statement (or bare SQL) through Drizzle's dialect; a prepared one is already rendered. */
export function render(statement: Statement | SQL): Rendered {
  if (is(statement, SQL)) {
    const { sql: text, params } = dialect.sqlToQuery(statement);
    return { text, params };
  }
  if ("text" in statement) return statement;
  const { sql: text, params } = dialect.sqlToQuery(statement.sql);
  return { text, params, name: statement.name };
}

/**
 * A statement of the hottest paths, rendered once: `build` gets a placeholder per value name and returns the SQL;
 * each call fills the placeholders (Drizzle's `fillPlaceholders`) instead of walking the template again, so a
 * request pays for its values only. Named, so PostgreSQL also parses and plans it once per connection.
 */
export function prepared<K extends string>(
  name: string,
  names: readonly K[],
  build: (values: Record<K, Placeholder<K>>) => SQL,
): (values: Record<K, unknown>) => Rendered {
  const placeholders = Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as Record<
    K,
    Placeholder<K>
  >;
  const { sql: text, params } = dialect.sqlToQuery(build(placeholders));
  return (values) => ({ text, params: fillPlaceholders(params, values), name });
}

/**
 * One `make(db)` per database handle, made on first use and kept while the handle lives: for Drizzle prepared
 * statements (bound to their Db; PostgreSQL then parses and plans them once per connection under their name).
 */
export function perDb<T>(make: (db: Db) => T): (db: Db) => T {
  const made = new WeakMap<Db, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) made.set(db, (value = make(db)));
    return value;
  };
}

/** The same runner on a Drizzle transaction (the cold writes), so one statement builder serves both. */
export function runOnTx(tx: Pick<Tx, "execute">): Run {
  return async <R>(statement: Statement | SQL) => {
    if (!is(statement, SQL) && "text" in statement)
      throw new Error(`prepared statement ${statement.name} runs in a batch or on Database.run`);
    const query = is(statement, SQL) ? statement : statement.sql;
    // Both drivers answer execute() with { rows }: the raw rows, as the batch runner gets them.
    return ((await tx.execute(query)) as unknown as { rows: R[] }).rows;
  };
}

/** A runner over a text Query (a `Database.transaction`'s), so the same statements run in either kind of transaction. */
export function runOnQuery(q: Query): Run {
  return async <R>(statement: Statement | SQL) => {
    const { text, params, name } = render(statement);
    return q<R>(text, params, name);
  };
}

/** A query Drizzle's builder made (`db.select()…`, `db.update()…returning()`): it renders itself. */
export type Built = { toSQL(): { sql: string; params: unknown[] } };

/** Runs a builder's query through a text Query (a `Database.transaction`'s); rows keyed by column name. */
export function runBuilt<T>(q: Query, query: Built): Promise<T[]> {
  const { sql: text, params } = query.toSQL();
  return q<T>(text, params);
}

/**
 * Runs several statements of one transaction together: all are sent at once (on PostgreSQL's pipelined connection,
 * one round trip; PGlite runs them one after another), every answer is awaited (none left in flight), then the
 * first error in statement order is thrown (the later ones are its consequence: an aborted block), or every
 * statement's rows are returned in order.
 */
export async function runTogether(
  q: Query,
  statements: readonly (Statement | SQL)[],
): Promise<unknown[][]> {
  const run = runOnQuery(q);
  const settled = await Promise.allSettled(statements.map((s) => run(s)));
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown[]>).value);
}
