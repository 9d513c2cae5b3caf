// A Database that reports the SQL text of every statement it sends, through the raw query function and through
// Drizzle alike: for tests that count statements.
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { PGlite } from "@electric-sql/pglite";
import type { Pool } from "pg";
import * as schema from "@/db/schema";
import { render } from "@/db/statement";
import type { Database, Db, Query, Run } from "@/db/types";

/**
 * `database` with every statement's text passed to `onStatement` first. Drizzle quotes identifiers; the text is
 * passed without those quotes, as the raw statements are written (`from assignments`).
 */
export function loggingDatabase(database: Database, onStatement: (text: string) => void): Database {
  const query: Query = (text, params, name) => {
    onStatement(text);
    return database.query(text, params, name);
  };
  const run: Run = (statement) => {
    onStatement(render(statement).text.replace(/"/g, ""));
    return database.run(statement);
  };
  const logger = { logQuery: (text: string) => onStatement(text.replace(/"/g, "")) };
  const client = (database.db as unknown as { $client: unknown }).$client;
  const db = (database.driver === "pglite"
    ? drizzlePglite(client as PGlite, { schema, logger })
    : drizzlePg(client as Pool, { schema, logger })) as unknown as Db;
  return { ...database, query, run, db };
}
