// The families most operations belong to, each written once: a GET answering one JSON value, a create answering 201
// with the new resource's Location, a write answering what it wrote, and an operation building its own Response. A
// family sets the method, the tag of its module, the success status (with Location on a create, filled in by the
// same builder from `located`) and the JSON answer, so an operation names only what is its own: path, id, wording,
// scope, inputs, errors and what it reads or writes. What they build is a plain defineOperation, documented as any
// other. `ids` hands a path's parameters to the server's functions under their names.
import "server-only";
import type { z } from "zod";
import {
  created,
  defineOperation,
  type HttpMethod,
  type Operation,
  type OperationContext,
  type OperationSpec,
  type PathParams,
  type ResponseHeader,
} from "@/lib/server/http/operation";
import { json } from "@/lib/server/http/route";

type Query = z.ZodObject | undefined;
type Body = z.ZodType | undefined;
type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;
type Context<P extends string, Q extends Query, B extends Body> = OperationContext<
  P,
  Parsed<Q>,
  Parsed<B>
>;

/** The success answer: its description, schema and headers (a create adds Location first). */
export type Answer = {
  description: string;
  schema: z.ZodType;
  headers?: readonly ResponseHeader[];
};

/** What an operation of a family says itself; the family sets its method, tag, success status and handler. */
type Own<P extends string, Q extends Query, B extends Body> = Omit<
  OperationSpec,
  "method" | "tag" | "path" | "query" | "body" | "success"
> & {
  path: P;
  query?: Q;
  queryLists?: readonly string[];
  body?: { schema: NonNullable<B>; description?: string; example?: unknown; maxBytes?: number };
  database?: false;
  answers: Answer;
};

/** Where a created resource is read: the operation that reads it and that operation's path parameters. */
type Location<R extends string> = readonly [readBy: Operation<R>, params: PathParams<R>];

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/** Path parameters as the server's functions name them: `{ client_id, domain_id }` is `{ clientId, domainId }`. */
export type Ids<P> = { [K in keyof P & string as Camel<K>]: P[K] };

/** The path's parameters under the names the server's functions take (snake_case to camelCase). */
export function ids<P extends Record<string, string>>(params: P): Ids<P> {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [
      name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      value,
    ]),
  ) as Ids<P>;
}

/** The operations of one tag (a module of lib/server/operations). */
export function family(tag: string) {
  function define<P extends string, Q extends Query, B extends Body>(
    method: HttpMethod,
    status: 200 | 201,
    own: Own<P, Q, B>,
    handler: (ctx: Context<P, Q, B>) => Promise<Response>,
  ): Operation<P> {
    const { answers, ...spec } = own;
    return defineOperation<P, Q, B>({
      ...spec,
      method,
      tag,
      success: { [status]: answers },
      handler,
    });
  }

  /** A write answering 200 with what `write` returns. */
  const writes =
    (method: Exclude<HttpMethod, "GET">) =>
    <const P extends string, Q extends Query = undefined, B extends Body = undefined>(
      own: Own<P, Q, B> & { write: (ctx: Context<P, Q, B>) => Promise<unknown> },
    ): Operation<P> => {
      const { write, ...rest } = own;
      return define(method, 200, rest, async (ctx) => json(await write(ctx)));
    };

  return {
    /** A GET answering 200 with what `read` returns. */
    get<const P extends string, Q extends Query = undefined>(
      own: Own<P, Q, undefined> & { read: (ctx: Context<P, Q, undefined>) => Promise<unknown> },
    ): Operation<P> {
      const { read, ...rest } = own;
      return define("GET", 200, rest, async (ctx) => json(await read(ctx)));
    },

    /**
     * A POST answering 201 with what `write` returns and a Location header: the path of the operation that reads it,
     * as `located` names it.
     */
    create<
      const P extends string,
      Row,
      R extends string,
      Q extends Query = undefined,
      B extends Body = undefined,
    >(
      own: Own<P, Q, B> & {
        write: (ctx: Context<P, Q, B>) => Promise<Row>;
        located: (row: Row, ctx: Context<P, Q, B>) => Location<R>;
      },
    ): Operation<P> {
      const { write, located, answers, ...rest } = own;
      const headers: readonly ResponseHeader[] = ["Location", ...(answers.headers ?? [])];
      return define("POST", 201, { ...rest, answers: { ...answers, headers } }, async (ctx) => {
        const row = await write(ctx);
        const [readBy, params] = located(row, ctx);
        return created(readBy, params, row);
      });
    },

    /** An operation whose handler builds its own Response (a cached read with its ETag, a stream, a file). */
    responding<const P extends string, Q extends Query = undefined, B extends Body = undefined>(
      method: HttpMethod,
      own: Own<P, Q, B> & { handler: (ctx: Context<P, Q, B>) => Promise<Response> },
    ): Operation<P> {
      const { handler, ...rest } = own;
      return define(method, 200, rest, handler);
    },

    post: writes("POST"),
    put: writes("PUT"),
    patch: writes("PATCH"),
    delete: writes("DELETE"),
  };
}
