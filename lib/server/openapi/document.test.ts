import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument, type JsonObject } from "./document";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const API_DIR = path.join(ROOT, "app/v2");
const SEED_PATH =
  "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments/{assignment_key}";
const DOCUMENTED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

// The seed page's response descriptions, verbatim (binding).
const SEED_RESPONSES: Record<string, string> = {
  "200": "Service assignment upserted",
  "400":
    "Validation error — malformed input, invalid path parameters, or request that fails syntactic validation.",
  "401":
    "Missing or invalid Authorization bearer token, expired token, or token rejected by the authorization layer (e.g. API Gateway JWT authorizer or application validation).",
  "403": "Authenticated caller lacks the permission required for this operation.",
  "404": "Requested resource was not found.",
  "422":
    "Semantically invalid request — e.g. domain not active, no model assigned, feature contract mismatch, or invalid feature definitions.",
};

type RouteFile = { file: string; path: string; endpoints: Map<string, string | null | undefined> };

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith("[...") ? [] : routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

function openApiPath(file: string): string {
  const segments = path.relative(API_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
  return ["/v2", ...segments.map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))].join("/");
}

/** Index just past the string literal or comment starting at `i`, or `i` when none starts there. */
function skipLiteral(source: string, i: number): number {
  const c = source[i];
  if (c === '"' || c === "'" || c === "`") {
    let j = i + 1;
    while (j < source.length && source[j] !== c) j += source[j] === "\\" ? 2 : 1;
    return j + 1;
  }
  if (source.startsWith("//", i))
    return source.indexOf("\n", i) === -1 ? source.length : source.indexOf("\n", i);
  if (source.startsWith("/*", i)) return source.indexOf("*/", i) + 2;
  return i;
}

function withoutComments(source: string): string {
  let out = "";
  for (let i = 0; i < source.length;) {
    const next = skipLiteral(source, i);
    if (next === i) out += source[i++];
    else {
      if (source[i] !== "/") out += source.slice(i, next);
      i = next;
    }
  }
  return out;
}

/** The top-level entries of the object literal opening at `open`, split on depth-1 commas. */
function objectEntries(source: string, open: number): string[] {
  const entries: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < source.length;) {
    const skipped = skipLiteral(source, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = source[i]!;
    if ("{([".includes(c)) depth++;
    else if ("})]".includes(c)) {
      depth--;
      if (depth === 0) {
        entries.push(source.slice(start, i));
        break;
      }
    } else if (c === "," && depth === 1) {
      entries.push(source.slice(start, i));
      start = i + 1;
    }
    i++;
  }
  return entries.filter((e) => e.trim() !== "");
}

/**
 * Method → scope ("…", null, or undefined when not a literal) of what a route file serves. A route built from
 * operations (routeOf) is asked: its OPTIONS answer lists its methods, and each scope is its operation's own.
 */
async function endpointsOf(
  file: string,
  text: string,
): Promise<Map<string, string | null | undefined>> {
  const source = withoutComments(text);
  const endpoints = new Map<string, string | null | undefined>();
  if (source.includes("routeOf(")) {
    const route = (await import(/* @vite-ignore */ file)) as {
      OPTIONS: (request: Request, context: unknown) => Promise<Response>;
    };
    const response = await route.OPTIONS(new Request("http://localhost/", { method: "OPTIONS" }), {
      params: Promise.resolve({}),
    });
    for (const method of (response.headers.get("allow") ?? "").split(", "))
      if ((DOCUMENTED_METHODS as readonly string[]).includes(method))
        endpoints.set(method, undefined);
    return endpoints;
  }
  const call = source.indexOf("defineRoute({");
  if (call !== -1) {
    for (const entry of objectEntries(source, source.indexOf("{", call))) {
      const key = /^\s*(\w+)\s*(?::|$)/.exec(entry)?.[1];
      if (!key || key === "HEAD" || key === "OPTIONS") continue;
      const scope = /\bscope\s*:\s*(?:"([^"]*)"|(null))/.exec(entry);
      endpoints.set(key, scope ? (scope[2] ? null : scope[1]) : undefined);
    }
    return endpoints;
  }
  // A route without defineRoute exports its handlers directly and is public (health checks).
  for (const m of source.matchAll(
    /export\s+(?:async\s+)?function\s+(\w+)|export\s+const\s+(\w+)\s*=/g,
  )) {
    const key = m[1] ?? m[2]!;
    if ((DOCUMENTED_METHODS as readonly string[]).includes(key)) endpoints.set(key, null);
  }
  return endpoints;
}

function resolvePointer(document: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>(
      (node, key) =>
        typeof node === "object" && node !== null ? (node as JsonObject)[key] : undefined,
      document,
    );
}

function collectRefs(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => collectRefs(item, into));
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") into.push(item);
      else collectRefs(item, into);
    }
  }
  return into;
}

const at = (node: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (n, k) => (typeof n === "object" && n !== null ? (n as JsonObject)[k] : undefined),
    node,
  );

describe("buildOpenApiDocument", () => {
  const document = buildOpenApiDocument();
  let files: RouteFile[] = [];
  beforeAll(async () => {
    files = await Promise.all(
      routeFiles(API_DIR).map(async (file) => ({
        file: path.relative(ROOT, file),
        path: openApiPath(file),
        endpoints: await endpointsOf(file, readFileSync(file, "utf8")),
      })),
    );
  });

  it("is an OpenAPI 3.1.0 document that survives a JSON round trip", () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toMatchObject({
      title: "Model assignment console API",
      // The app's version, package.json's (tests/api/version.test.ts checks every place it is shown).
      version: (
        JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }
      ).version,
    });
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      "bearerAuth",
      "sessionCookie",
    ]);
  });

  it("finds the route files it checks", () => {
    expect(files.length).toBeGreaterThan(20);
    for (const route of files)
      expect(route.endpoints.size, `${route.file} serves no method`).toBeGreaterThan(0);
  });

  it("documents every route file with exactly the methods and scopes it defines", () => {
    for (const route of files) {
      const item = document.paths[route.path];
      expect(item, `${route.file} has no operation in lib/server/operations`).toBeDefined();
      expect(
        Object.keys(item!)
          .map((m) => m.toUpperCase())
          .sort(),
        route.file,
      ).toEqual([...route.endpoints.keys()].sort());
      for (const [method, scope] of route.endpoints) {
        const op = item![method.toLowerCase()]!;
        if (scope !== undefined)
          expect(op["x-required-scope"], `${method} ${route.path} scope`).toBe(scope);
        expect(op.security, `${method} ${route.path} security`).toEqual(
          op["x-required-scope"] === null ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }],
        );
      }
    }
    expect(Object.keys(document.paths).sort()).toEqual(files.map((f) => f.path).sort());
  });

  it("declares every path parameter and gives every operation a unique id", () => {
    const ids = new Set<string>();
    for (const [p, item] of Object.entries(document.paths)) {
      for (const op of Object.values(item)) {
        const declared = ((op.parameters ?? []) as JsonObject[]).map(
          (param) => resolvePointer(document, String(param.$ref ?? "")) ?? param,
        );
        const pathParams = declared
          .filter((param) => at(param, "in") === "path")
          .map((param) => at(param, "name"));
        expect(pathParams.sort(), p).toEqual(
          [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort(),
        );
        expect(ids.has(String(op.operationId)), String(op.operationId)).toBe(false);
        ids.add(String(op.operationId));
      }
    }
  });

  it("documents the seed PUT as the seed page does", () => {
    const put = document.paths[SEED_PATH]?.put;
    expect(put).toBeDefined();
    expect(put!.summary).toBe("Create or update a service model assignment by key");
    expect(at(put, "requestBody", "content", "application/json", "schema")).toEqual({
      $ref: "#/components/schemas/AssignmentPut",
    });
    const body = document.components.schemas.AssignmentPut!;
    expect(body.required).toEqual(expect.arrayContaining(["model_id", "model_version"]));
    expect(Object.keys(body.properties as JsonObject)).toEqual(
      expect.arrayContaining([
        "assignment_key",
        "model_id",
        "model_version",
        "status",
        "role",
        "settings",
        "metadata",
        "service_updates",
      ]),
    );
    expect(at(body, "properties", "status", "default")).toBe("active");
    const responses = put!.responses as Record<string, JsonObject>;
    for (const [status, description] of Object.entries(SEED_RESPONSES)) {
      expect(responses[status]?.description, status).toBe(description);
    }
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(["409", "412", "413", "415"]));
    expect(at(responses["200"], "content", "application/json", "schema")).toEqual({
      $ref: "#/components/schemas/Assignment",
    });
    expect(at(responses["200"], "headers", "ETag")).toBeDefined();
    expect(collectRefs(responses["422"])).toContain("#/components/schemas/BlockingError");
    expect(collectRefs(put!.parameters)).toEqual(
      expect.arrayContaining([
        "#/components/parameters/dry_run",
        "#/components/parameters/If-Match",
      ]),
    );
  });

  it("uses the error envelope for every error response", () => {
    expect(document.components.schemas.Error!.required).toEqual(
      expect.arrayContaining(["success", "message"]),
    );
    for (const item of Object.values(document.paths)) {
      for (const op of Object.values(item)) {
        for (const [status, response] of Object.entries(
          op.responses as Record<string, JsonObject>,
        )) {
          if (Number(status) < 400) continue;
          expect(collectRefs(response), `${op.operationId} ${status}`).toContain(
            "#/components/schemas/Error",
          );
        }
      }
    }
  });

  it("paginates lists and sets Location on every 201", () => {
    for (const [p, item] of Object.entries(document.paths)) {
      for (const op of Object.values(item)) {
        const responses = op.responses as Record<string, JsonObject>;
        if (responses["201"])
          expect(at(responses["201"], "headers", "Location"), `${op.operationId}`).toBeDefined();
        const ok = at(responses["200"], "content", "application/json", "schema", "$ref");
        const schema =
          typeof ok === "string" ? (resolvePointer(document, ok) as JsonObject) : undefined;
        if (schema && at(schema, "properties", "next_cursor")) {
          const names = ((op.parameters ?? []) as JsonObject[]).map((param) => at(param, "name"));
          // A change feed pages by `after` (the spec's name for its cursor), every other list by `cursor`.
          const cursorName = p.endsWith("/changes") ? "after" : "cursor";
          expect(names, `${p} paginates`).toEqual(expect.arrayContaining([cursorName, "limit"]));
          expect(schema.required).toEqual(expect.arrayContaining(["items", "next_cursor"]));
        }
      }
    }
  });

  it("names a schema's request form apart when it differs from its response form", () => {
    const { FeatureDefinition, FeatureDefinitionInput, ModelVersionCreate } =
      document.components.schemas;
    expect(FeatureDefinition!.required).toContain("required");
    expect(FeatureDefinitionInput!.required).not.toContain("required");
    expect(collectRefs(ModelVersionCreate)).toEqual([
      "#/components/schemas/FeatureDefinitionInput",
    ]);
  });

  it("resolves every $ref to something in the document", () => {
    const refs = collectRefs(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref.startsWith("#/components/"), ref).toBe(true);
      expect(resolvePointer(document, ref), ref).toBeDefined();
    }
  });

  it("is served as JSON by GET /v2/openapi.json, without credentials", async () => {
    const { GET, POST } = await import("@/app/v2/openapi.json/route");
    const context = { params: Promise.resolve({}) };
    const response = await GET(new Request("http://localhost/v2/openapi.json"), context);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(document);
    const wrongMethod = await POST(
      new Request("http://localhost/v2/openapi.json", { method: "POST" }),
      context,
    );
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ success: false });
  });
});
