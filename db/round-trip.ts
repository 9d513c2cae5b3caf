// One Sync per pipelined round trip to PostgreSQL (docs/decisions/134-one-sync-per-round-trip.md). Not server-only:
// the bare server of `npm run bench:bare-put` sends its round trips the same way through it.
//
// node-postgres ends every statement with its own Sync. PostgreSQL answers each Sync with ReadyForQuery and
// flushes its output there, so a round trip of three statements came back as three packets. Each packet is a send
// by PostgreSQL and a wake-up and a read for Node. `RoundTrip` is a node-postgres Submittable. It sends the
// statements of one round trip as Bind and Execute (plus Parse for an unnamed statement, and Describe until a
// prepared statement's answer is known on the connection) with one Sync at the end, and PostgreSQL answers them in
// one flush. The protocol's own rule for an error is unchanged: after an error,
// PostgreSQL skips every later message up to the Sync, so the first failing statement's error is the one
// reported, and nothing after it ran.
import type { ClientBase, FieldDef, QueryResult } from "pg";

export type RoundTripStatement = { text: string; name?: string; values: unknown[] };

/** The parts of node-postgres's Connection that a Submittable drives (lib/connection.js). */
type PgConnection = {
  stream: { cork(): void; uncork(): void };
  parsedStatements: Record<string, string>;
  parse(query: { text: string; name?: string; types?: unknown[] }): void;
  bind(config: {
    portal: string;
    statement?: string;
    values: unknown[];
    valueMapper: (value: unknown) => unknown;
  }): void;
  describe(message: { type: "P"; name: string }): void;
  execute(config: { portal: string; rows?: number }): void;
  sync(): void;
};

/** The parts of node-postgres's Result that turn protocol messages into rows (lib/result.js). */
type PgResult = QueryResult & {
  _parsers?: unknown[];
  _prebuiltEmptyResultObject?: Record<string, unknown> | null;
  addFields(fields: FieldDef[]): void;
  parseRow(values: unknown[]): Record<string, unknown>;
  addRow(row: Record<string, unknown>): void;
  addCommandComplete(message: { text: string }): void;
};

type Driver = {
  Query: new (config: { text: string }) => object;
  Result: new (rowMode?: string, types?: unknown) => unknown;
  utils: { prepareValue: (value: unknown) => unknown };
};

/**
 * Whether `statements` can go as one round trip on this connection: every named statement has been prepared on it
 * (parsed and answered). A statement not yet prepared goes the ordinary way the first time, so that whether its
 * Parse succeeded is never in doubt.
 */
export function canRoundTrip(client: ClientBase, statements: RoundTripStatement[]): boolean {
  const connection = (client as unknown as { connection: PgConnection }).connection;
  return statements.every(
    (s) => s.name === undefined || connection.parsedStatements[s.name] === s.text,
  );
}

/**
 * Sends `statements` in one round trip on `client` (a connection nobody else is using) and resolves with each
 * one's result, in order; rejects with the first failing statement's error once PostgreSQL has answered the round
 * trip's Sync (then the connection is ready for the next statement, e.g. ROLLBACK).
 */
export function roundTrip(
  /** node-postgres's default export (its `Result` and `utils` are there, if not in its type declarations). */
  driver: object,
  client: ClientBase,
  statements: RoundTripStatement[],
): Promise<QueryResult[]> {
  return new Promise<QueryResult[]>((resolve, reject) => {
    const RoundTrip = roundTripClass(driver as Driver);
    const submittable = new RoundTrip(statements, resolve, reject);
    // node-postgres returns a Submittable as it is; its outcome comes through the callbacks above.
    void (client.query as unknown as (s: object) => unknown)(submittable);
  }).catch((error: unknown) => {
    // A stack that leads back to the caller, not to the socket's read (as node-postgres does for a failed query).
    if (error instanceof Error) Error.captureStackTrace(error);
    throw error;
  });
}

type Events = {
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
};

/**
 * What a prepared statement's answer looks like on one connection, learnt from its first described execution in a
 * round trip: its fields with their parsers (what node-postgres's Result builds from a RowDescription), or null
 * for a statement that returns no rows. A statement's shape can't change while it stays prepared (PostgreSQL
 * refuses to run it then: "cached plan must not change result type"), so later round trips skip its Describe.
 */
type Shape = {
  fields: FieldDef[];
  parsers: unknown[] | undefined;
  empty: Record<string, unknown> | null | undefined;
} | null;
const shapes = new WeakMap<PgConnection, Map<string, Shape>>();

const classes = new WeakMap<
  Driver,
  new (
    statements: RoundTripStatement[],
    resolve: (results: QueryResult[]) => void,
    reject: (error: unknown) => void,
  ) => object
>();

/** The RoundTrip class of a node-postgres module: a subclass of its Query (made once per module). */
function roundTripClass(driver: Driver) {
  const known = classes.get(driver);
  if (known) return known;
  class RoundTrip extends driver.Query {
    private results: PgResult[] = [];
    /** Per statement: sent with a Describe (its shape is to be learnt), and whether a RowDescription came. */
    private described: boolean[] = [];
    private rowDescribed: boolean[] = [];
    private known: Map<string, Shape> | undefined;
    private current = 0;
    private failure: unknown = null;
    private settled = false;

    constructor(
      private readonly statements: RoundTripStatement[],
      private readonly resolve: (results: QueryResult[]) => void,
      private readonly reject: (error: unknown) => void,
    ) {
      // A Query to node-postgres (which takes no other kind on a pipelined connection), with no text of its own.
      super({ text: "" });
    }

    submit(connection: PgConnection): Error | null {
      // The client's type parsers, as it gives each Query's result (on `_result`, set before submit).
      const types = (this as { _result?: { _types?: unknown } })._result?._types;
      this.results = this.statements.map(() => new driver.Result(undefined, types) as PgResult);
      for (const s of this.statements)
        if (s.name !== undefined && connection.parsedStatements[s.name] !== s.text)
          return new Error(`statement ${s.name} is not prepared on this connection`);
      let known = shapes.get(connection);
      if (!known) shapes.set(connection, (known = new Map()));
      this.known = known;
      connection.stream.cork();
      try {
        for (const [i, s] of this.statements.entries()) {
          if (s.name === undefined) connection.parse({ text: s.text });
          connection.bind({
            portal: "",
            statement: s.name,
            values: s.values,
            valueMapper: driver.utils.prepareValue,
          });
          const shape = s.name === undefined ? undefined : known.get(s.name);
          if (shape === undefined) {
            connection.describe({ type: "P", name: "" });
            this.described[i] = true;
          } else if (shape !== null) {
            // As Result.addFields would leave it for this RowDescription (shared: a Result never changes them).
            const result = this.results[i]!;
            result.fields = shape.fields;
            result._parsers = shape.parsers;
            result._prebuiltEmptyResultObject = shape.empty;
          }
          connection.execute({ portal: "" });
        }
        connection.sync();
      } catch (error) {
        // A value that can't be serialized (prepareValue threw): nothing was sent but what is corked, and without
        // a Sync PostgreSQL would wait for more. End what was written with a Sync, and report the error then.
        this.failure = error;
        connection.sync();
      } finally {
        connection.stream.uncork();
      }
      return null;
    }

    handleRowDescription(message: { fields: FieldDef[] }): void {
      this.results[this.current]?.addFields(message.fields);
      this.rowDescribed[this.current] = true;
    }

    handleDataRow(message: { fields: unknown[] }): void {
      if (this.failure !== null) return;
      const result = this.results[this.current];
      if (!result) return;
      try {
        result.addRow(result.parseRow(message.fields));
      } catch (error) {
        // A value no type parser could read: the statement still completes on the server; report it at the end.
        this.failure = error;
      }
    }

    handleCommandComplete(message: { text: string }): void {
      const result = this.results[this.current];
      const name = this.statements[this.current]?.name;
      if (result && name !== undefined && this.described[this.current])
        this.known?.set(
          name,
          this.rowDescribed[this.current]
            ? {
                fields: result.fields,
                parsers: result._parsers,
                empty: result._prebuiltEmptyResultObject,
              }
            : null,
        );
      result?.addCommandComplete(message);
      this.current++;
    }

    handleEmptyQuery(): void {
      this.current++;
    }

    handlePortalSuspended(): void {}

    handleCopyInResponse(): void {}

    handleCopyData(): void {}

    /**
     * An ErrorResponse (the statement at `current` failed; PostgreSQL skips the rest up to the Sync) or a broken
     * connection. node-postgres stops routing this round trip's messages to it here, so it waits for the Sync's
     * ReadyForQuery itself (or the connection's end): whoever handles the rejection then finds the connection ready
     * for its ROLLBACK.
     */
    handleError(error: unknown, connection?: Partial<Events>): void {
      if (this.failure === null) this.failure = error;
      if (this.settled) return;
      if (isServerError(error) && connection?.once && connection.off) {
        const events = connection as Events;
        const done = () => {
          events.off("readyForQuery", done);
          events.off("end", done);
          this.settle();
        };
        events.once("readyForQuery", done);
        events.once("end", done);
      } else {
        this.settle();
      }
    }

    handleReadyForQuery(): void {
      this.settle();
    }

    private settle(): void {
      if (this.settled) return;
      this.settled = true;
      if (this.failure !== null) this.reject(this.failure);
      else if (this.current < this.statements.length)
        this.reject(
          new Error(
            `round trip ended after ${this.current} of ${this.statements.length} statements`,
          ),
        );
      else this.resolve(this.results);
    }
  }
  classes.set(driver, RoundTrip);
  return RoundTrip;
}

/** An ErrorResponse from the server (node-postgres's DatabaseError carries its SQLSTATE in `code`). */
function isServerError(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { code?: unknown }).code === "string" &&
    "severity" in error
  );
}
