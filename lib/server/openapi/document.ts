// The OpenAPI 3.1 document of /v2, generated from the route table and the zod schemas that validate requests.
import "server-only";
import { z } from "zod";
import { blockingError } from "@/lib/schemas/assignments";
import { APP_VERSION } from "@/lib/shared/version";
import { dryRunQuery, errorSchema } from "@/lib/schemas/common";
import { EXAMPLES, responseExample } from "./examples";
import {
  ERROR_DESCRIPTIONS,
  PATH_PARAMS,
  ROUTES,
  type ErrorStatus,
  type ResponseHeader,
  type RouteSpec,
} from "./routes";

export type JsonObject = { [key: string]: unknown };

type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, JsonObject>>;
  components: {
    schemas: Record<string, JsonObject>;
    parameters: Record<string, JsonObject>;
    headers: Record<string, JsonObject>;
    securitySchemes: Record<string, JsonObject>;
  };
};

type Io = "input" | "output";

const JSON_TYPE = "application/json";
const SCHEMAS = "#/components/schemas/";
// Refs point here while the document is assembled; they become component refs once every schema is known.
const PENDING = "#/x-pending/";
const ZOD_DEFS = "#/$defs/";

const compatibilityError = z.union([blockingError, errorSchema]);

const DESCRIPTION = `REST API of the model assignment console. JSON in, JSON out.

Machines authenticate with \`Authorization: Bearer <JWT>\`; the web console sends its session cookie, and a cookie-authenticated write from another origin is refused (403). Each operation names the scope it needs in \`x-required-scope\` ("any" for any signed-in caller); \`admin\` grants every scope.

Every error is \`{ "success": false, "message": "…" }\`, plus \`issues\` on a validation 400 and \`blocking_services\` on a feature contract 422. Unknown /v2 routes answer 404 and a method a route does not serve answers 405, both as JSON.

Lists take an opaque \`cursor\` and a \`limit\` (default 100, max 1000) and answer \`{ items, next_cursor }\`. Writes that accept \`?dry_run=true\` run every check and answer what the real call would, writing nothing.

Every write records who made it and an audit log entry with before and after, in the same transaction, and takes an optional reason in the \`X-Change-Reason\` header (at most 500 characters; percent-encoded UTF-8 for non-ASCII text), kept on the audit entry and on the revision. A client with \`require_change_reason\` refuses writes without one (422). The audit log is append-only: the database refuses UPDATE, DELETE and TRUNCATE of its rows.`;

/** Collects the named schemas (meta ids) that the conversions extract, separately for request and response form. */
class SchemaCollector {
  private readonly defs: Record<Io, Map<string, JsonObject>> = {
    input: new Map(),
    output: new Map(),
  };

  convert(schema: z.ZodType, io: Io): JsonObject {
    const converted = z.toJSONSchema(schema, { target: "draft-2020-12", io }) as JsonObject;
    const { $defs, ...root } = converted;
    delete root.$schema;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonObject>)) {
      if (id.startsWith("__schema")) {
        throw new Error(
          `A zod schema without a meta id was extracted as "${id}"; give it .meta({ id }) so it can be a component`,
        );
      }
      const tagged = retag(def, io) as JsonObject;
      const seen = this.defs[io].get(id);
      if (seen && JSON.stringify(seen) !== JSON.stringify(tagged)) {
        throw new Error(`Two different zod schemas share the meta id "${id}"`);
      }
      this.defs[io].set(id, tagged);
    }
    return retag(root, io) as JsonObject;
  }

  /**
   * Component names: a schema whose request form differs from its response form (itself or through a schema it
   * references) gets an "Input" suffix for the request form.
   */
  components(): { schemas: Record<string, JsonObject>; nameOf: (io: Io, id: string) => string } {
    const memo = new Map<string, boolean>();
    const differs = (id: string): boolean => {
      const known = memo.get(id);
      if (known !== undefined) return known;
      const input = this.defs.input.get(id);
      const output = this.defs.output.get(id);
      memo.set(id, false); // a cycle back to this id adds no difference of its own
      let result = false;
      if (input && output) {
        const refs: string[] = [];
        const untagged = (def: JsonObject) =>
          JSON.stringify(
            mapRefs(def, (ref) => {
              const target = pendingTarget(ref);
              if (target) refs.push(target.id);
              return target ? `${PENDING}${target.id}` : ref;
            }),
          );
        result = untagged(input) !== untagged(output) || refs.some(differs);
      }
      memo.set(id, result);
      return result;
    };
    const nameOf = (io: Io, id: string) => (io === "input" && differs(id) ? `${id}Input` : id);
    const schemas: Record<string, JsonObject> = {};
    for (const io of ["output", "input"] as const) {
      for (const [id, def] of this.defs[io]) schemas[nameOf(io, id)] = def;
    }
    const sorted = Object.fromEntries(
      Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)),
    );
    return { schemas: sorted, nameOf };
  }
}

/** Deep-copies a value, applying `fn` to every `$ref` string. */
function mapRefs(value: unknown, fn: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapRefs(item, fn));
  if (typeof value !== "object" || value === null) return value;
  const copy: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = key === "$ref" && typeof item === "string" ? fn(item) : mapRefs(item, fn);
  }
  return copy;
}

const unescapePointer = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

function pendingTarget(ref: string): { io: Io; id: string } | null {
  const match = /^#\/x-pending\/(input|output)\/(.+)$/.exec(ref);
  return match ? { io: match[1] as Io, id: match[2]! } : null;
}

function retag(value: unknown, io: Io): unknown {
  return mapRefs(value, (ref) =>
    ref.startsWith(ZOD_DEFS)
      ? `${PENDING}${io}/${unescapePointer(ref.slice(ZOD_DEFS.length))}`
      : ref,
  );
}

function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** Query parameters of an object schema, in its request (input) form; array ones are repeated (form, exploded). */
function queryParameters(collector: SchemaCollector, query: z.ZodObject): JsonObject[] {
  const converted = collector.convert(query, "input");
  const properties = (converted.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((converted.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...schema } = property;
    return {
      name,
      in: "query",
      required: required.has(name),
      ...(description ? { description } : {}),
      // A list parameter repeats its name (`?feature=a&feature=b`), as readQuery reads the route's list parameters.
      ...(schema.type === "array" ? { style: "form", explode: true } : {}),
      schema,
    };
  });
}

const exampleOf = (example: unknown) => (example === undefined ? {} : { example });

function errorStatuses(route: RouteSpec): ErrorStatus[] {
  const implied: ErrorStatus[] = [];
  if (pathParamNames(route.path).length > 0 || route.query || route.body || route.dryRun)
    implied.push(400);
  if (route.scope !== null) implied.push(401, 403);
  if (route.ifMatch) implied.push(412);
  if (route.body) implied.push(413, 415);
  const listed = Object.keys(route.errors ?? {}).map(Number) as ErrorStatus[];
  return [...new Set([...implied, ...listed])].sort((a, b) => a - b);
}

function headerRefs(headers: readonly ResponseHeader[] | undefined): JsonObject {
  if (!headers?.length) return {};
  return {
    // The component's name, under the header's own name (ContentETag is an ETag).
    headers: Object.fromEntries(
      headers.map((h) => [h === "ContentETag" ? "ETag" : h, { $ref: `#/components/headers/${h}` }]),
    ),
  };
}

function operation(
  collector: SchemaCollector,
  route: RouteSpec,
  errorRef: JsonObject,
  compatibilityRef: JsonObject,
): JsonObject {
  const parameters: JsonObject[] = [
    ...pathParamNames(route.path).map((name) => ({ $ref: `#/components/parameters/${name}` })),
    ...(route.query ? queryParameters(collector, route.query) : []),
    ...(route.dryRun ? [{ $ref: "#/components/parameters/dry_run" }] : []),
    ...(route.ifMatch ? [{ $ref: "#/components/parameters/If-Match" }] : []),
    ...(route.method !== "GET" && route.scope !== null
      ? [{ $ref: "#/components/parameters/X-Change-Reason" }]
      : []),
    ...(route.ifNoneMatch ? [{ $ref: "#/components/parameters/If-None-Match" }] : []),
    ...(route.eventStream
      ? [
          { $ref: "#/components/parameters/Accept-Event-Stream" },
          { $ref: "#/components/parameters/Last-Event-ID" },
        ]
      : []),
  ];

  const examples = EXAMPLES[route.operationId];
  const requestExample = route.body?.example ?? examples?.request;
  const responses: Record<string, JsonObject> = {};
  for (const [status, success] of Object.entries(route.success)) {
    responses[status] = {
      description: success.description,
      ...headerRefs(success.headers),
      content: {
        [JSON_TYPE]: {
          schema: collector.convert(success.schema, "output"),
          ...exampleOf(responseExample(examples, Number(status))),
        },
        ...(route.eventStream
          ? {
              "text/event-stream": {
                schema: { type: "string", description: route.eventStream },
                example:
                  'retry: 1000\n: connected after 41\n\nid: 42\nevent: service\ndata: {"cursor":"42","at":"2026-11-30T06:02:11.417Z","kind":"service","action":"patch","service_id":"svc-001","actor":"alice@example.com"}\n\n: heartbeat\n\n',
              },
            }
          : {}),
      },
    };
  }
  if (route.ifNoneMatch) {
    responses["304"] = {
      description: "Not modified: If-None-Match names the current ETag. No body.",
      ...headerRefs(route.success[200]?.headers ?? []),
    };
  }
  for (const status of errorStatuses(route)) {
    const schema = status === 422 && route.blocking422 ? compatibilityRef : errorRef;
    responses[String(status)] = {
      description: route.errors?.[status] ?? ERROR_DESCRIPTIONS[status],
      content: { [JSON_TYPE]: { schema } },
    };
  }

  const scopeNote =
    route.scope === null
      ? "Public: no authentication."
      : route.scope === "any"
        ? "Any signed-in caller."
        : `Requires the \`${route.scope}\` scope (or \`admin\`).`;
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: [route.description, scopeNote].filter(Boolean).join("\n\n"),
    "x-required-scope": route.scope,
    security: route.scope === null ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            ...(route.body.description ? { description: route.body.description } : {}),
            content: {
              [JSON_TYPE]: {
                schema: collector.convert(route.body.schema, "input"),
                ...(requestExample !== undefined ? { example: requestExample } : {}),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

function pathParameter(collector: SchemaCollector, name: string): JsonObject {
  const param = PATH_PARAMS[name];
  if (!param) throw new Error(`Path parameter {${name}} has no entry in PATH_PARAMS`);
  const { description, ...schema } = collector.convert(param.schema, "input");
  return {
    name,
    in: "path",
    required: true,
    ...(description ? { description } : {}),
    schema,
    example: param.example,
  };
}

function build(): OpenApiDocument {
  const collector = new SchemaCollector();
  const errorRef = collector.convert(errorSchema, "output");
  const compatibilityRef = collector.convert(compatibilityError, "output");

  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of ROUTES) {
    const item = (paths[route.path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method]) throw new Error(`${route.method} ${route.path} is in the route table twice`);
    item[method] = operation(collector, route, errorRef, compatibilityRef);
  }

  const paramNames = [...new Set(ROUTES.flatMap((r) => pathParamNames(r.path)))];
  const [dryRun] = queryParameters(collector, dryRunQuery);
  const parameters: Record<string, JsonObject> = {
    ...Object.fromEntries(paramNames.map((name) => [name, pathParameter(collector, name)])),
    dry_run: dryRun!,
    "If-Match": {
      name: "If-Match",
      in: "header",
      required: false,
      description:
        "The ETag of the active revision as read; a PUT whose If-Match is stale gets 412 and writes nothing.",
      schema: { type: "string" },
    },
    "X-Change-Reason": {
      name: "X-Change-Reason",
      in: "header",
      required: false,
      description:
        "Why this change is made, kept on its audit entry (and on the revision, as `change_reason`). At most 500 characters (Unicode characters, not bytes) after trimming, on one line. A header carries ASCII only: send anything else percent-encoded as UTF-8 (`encodeURIComponent(reason)`), which the server decodes; a `%` not followed by two hex digits is kept as it is. Required (422 without it) when the client has `require_change_reason`.",
      schema: { type: "string" },
    },
    "If-None-Match": {
      name: "If-None-Match",
      in: "header",
      required: false,
      description:
        "An ETag this route sent before; while it is still the current one the answer is a 304 without a body.",
      schema: { type: "string" },
    },
    "Accept-Event-Stream": {
      name: "Accept",
      in: "header",
      required: false,
      description:
        "`text/event-stream` for a live stream (Server-Sent Events) instead of one JSON page.",
      schema: { type: "string" },
    },
    "Last-Event-ID": {
      name: "Last-Event-ID",
      in: "header",
      required: false,
      description:
        "With a stream: the cursor of the last event received; the stream resumes after it (it wins over `after`).",
      schema: { type: "string" },
    },
  };

  const { schemas, nameOf } = collector.components();
  const draft: OpenApiDocument = {
    openapi: "3.1.0",
    info: { title: "Model assignment console API", version: APP_VERSION, description: DESCRIPTION },
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      parameters,
      headers: {
        ETag: {
          description:
            'The active revision: `"<assignment_id>"`. Send it back in If-Match to update only that revision.',
          schema: { type: "string" },
        },
        ContentETag: {
          description:
            "A strong validator of this exact answer. Send it back in If-None-Match: 304 while the answer is unchanged.",
          schema: { type: "string" },
        },
        "X-Change-Cursor": {
          description:
            "The domain's change feed cursor this answer was read at; `…/changes?after=` it lists every later change.",
          schema: { type: "string" },
        },
        Location: { description: "The path of the created resource.", schema: { type: "string" } },
      },
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "A signed JWT naming its subject, scopes and the clients it may touch. Mint one with `npm run token`.",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description:
            "The web console's next-auth session (`__Secure-next-auth.session-token` over HTTPS); a person's role maps to scopes.",
        },
      },
    },
  };

  return mapRefs(draft, (ref) => {
    const target = pendingTarget(ref);
    return target ? `${SCHEMAS}${nameOf(target.io, target.id)}` : ref;
  }) as OpenApiDocument;
}

let cached: OpenApiDocument | undefined;

export function buildOpenApiDocument(): OpenApiDocument {
  cached ??= build();
  return cached;
}
