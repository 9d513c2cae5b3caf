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

type RouteFile = { file: string; path: string; source: string; endpoints: Set<string> };

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

/** The methods a route file serves, as its OPTIONS answer lists them (each route is routeOf(...operations)). */
async function endpointsOf(file: string, text: string): Promise<Set<string>> {
  expect(text, `${file} exports routeOf(...) of its path's operations`).toMatch(/= routeOf\(/);
  const route = (await import(/* @vite-ignore */ file)) as {
    OPTIONS: (request: Request, context: unknown) => Promise<Response>;
  };
  const response = await route.OPTIONS(new Request("http://localhost/", { method: "OPTIONS" }), {
    params: Promise.resolve({}),
  });
  return new Set(
    (response.headers.get("allow") ?? "")
      .split(", ")
      .filter((method) => (DOCUMENTED_METHODS as readonly string[]).includes(method)),
  );
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
      routeFiles(API_DIR).map(async (file) => {
        const source = readFileSync(file, "utf8");
        return {
          file: path.relative(ROOT, file),
          path: openApiPath(file),
          source,
          endpoints: await endpointsOf(file, source),
        };
      }),
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

  it("serves every path of the document with exactly its documented methods", () => {
    for (const route of files) {
      const item = document.paths[route.path];
      expect(item, `${route.file} has no operation in lib/server/operations`).toBeDefined();
      expect(
        Object.keys(item!)
          .map((m) => m.toUpperCase())
          .sort(),
        route.file,
      ).toEqual([...route.endpoints].sort());
      for (const op of Object.values(item!)) {
        expect(op.security, `${String(op.operationId)} security`).toEqual(
          op["x-required-scope"] === null ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }],
        );
      }
    }
    expect(Object.keys(document.paths).sort()).toEqual(files.map((f) => f.path).sort());
  });

  it("leaves params, bodies and Location headers to the operations", () => {
    for (const route of files) {
      expect(route.source, `${route.file} reads ctx.params`).not.toMatch(/ctx\.params/);
      expect(route.source, `${route.file} writes a Location header`).not.toMatch(/location:/i);
      expect(route.source, `${route.file} parses a body`).not.toMatch(/readJson\(/);
    }
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

  it("documents a 404 on every path that names a resource, worded by the operation where it says more", () => {
    for (const [p, item] of Object.entries(document.paths)) {
      if (!p.includes("{")) continue;
      for (const op of Object.values(item)) {
        const notFound = (op.responses as Record<string, JsonObject>)["404"];
        expect(notFound?.description, `${String(op.operationId)} 404`).toMatch(/not found/);
      }
    }
    const seed = document.paths[SEED_PATH]!.get!.responses as Record<string, JsonObject>;
    expect(seed["404"]!.description).toBe(
      "Requested resource was not found, or the key has no active revision.",
    );
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
