// Every operation of the OpenAPI document, including ones added after this test was written, has a summary, a
// description of its own, an example request body (when it takes one) and an example success response; and every
// example validates against the zod schema that the route validates requests with or types its responses with.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { buildOpenApiDocument, type JsonObject } from "./document";
import { EXAMPLES, responseExample } from "./examples";
import { operations as allOperations } from "@/lib/server/operations";

const SCOPE_NOTE =
  /^(Public: no authentication\.|Any signed-in caller\.|Requires the `[^`]+` scope \(or `admin`\)\.)$/;
const METHODS = ["get", "put", "post", "patch", "delete"];

type Operation = { label: string; op: JsonObject };

function operations(): Operation[] {
  const { paths } = buildOpenApiDocument();
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, op })),
  );
}

function jsonContent(holder: unknown): JsonObject | undefined {
  const content = (holder as { content?: Record<string, JsonObject> } | undefined)?.content;
  return content?.["application/json"];
}

function issuesOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}

const ROUTES = allOperations();

describe("every operation in the OpenAPI document is documented", () => {
  const all = operations();

  it("finds the operations", () => {
    expect(all.length).toBe(ROUTES.length);
  });

  it("has a summary and a description beyond the scope note", () => {
    const lacking = all.flatMap(({ label, op }) => {
      const summary = typeof op.summary === "string" ? op.summary.trim() : "";
      const paragraphs = String(op.description ?? "")
        .split("\n\n")
        .map((p) => p.trim())
        .filter((p) => p && !SCOPE_NOTE.test(p));
      return [
        ...(summary ? [] : [`${label}: no summary`]),
        ...(paragraphs.length ? [] : [`${label}: no description (add one in its operation)`]),
      ];
    });
    expect(lacking).toEqual([]);
  });

  it("has an example request body wherever it takes a body", () => {
    const lacking = all
      .filter(({ op }) => op.requestBody)
      .filter(({ op }) => jsonContent(op.requestBody)?.example === undefined)
      .map(
        ({ label, op }) =>
          `${label}: no request example (add ${String(op.operationId)}.request in lib/server/openapi/examples.ts)`,
      );
    expect(lacking).toEqual([]);
  });

  it("has an example for every success response", () => {
    const lacking = all.flatMap(({ label, op }) =>
      Object.entries(op.responses as Record<string, JsonObject>)
        .filter(([status]) => status.startsWith("2"))
        // A response with no body (204, 304) needs no example; every media type of one with a body does.
        .flatMap(([status, response]) =>
          Object.entries((response.content ?? {}) as Record<string, JsonObject>)
            .filter(([, media]) => media.example === undefined && media.examples === undefined)
            .map(
              ([type]) =>
                `${label} ${status} ${type}: no response example (add ${String(op.operationId)}.response in lib/server/openapi/examples.ts)`,
            ),
        ),
    );
    expect(lacking).toEqual([]);
  });

  it("has no examples for operations that do not exist", () => {
    const known = new Set(ROUTES.map((r) => r.operationId));
    expect(Object.keys(EXAMPLES).filter((id) => !known.has(id))).toEqual([]);
  });
});

describe("every example validates against its zod schema", () => {
  for (const route of ROUTES) {
    const label = `${route.method} ${route.path} (${route.operationId})`;
    const examples = EXAMPLES[route.operationId];

    if (route.body) {
      const body = route.body;
      it(`${label}: request example`, () => {
        const example = body.example ?? examples?.request;
        expect(example).toBeDefined();
        expect(issuesOf(body.schema, example)).toEqual([]);
      });
    }

    for (const [status, success] of Object.entries(route.success)) {
      it(`${label}: ${status} response example`, () => {
        const example = responseExample(examples, Number(status));
        expect(example).toBeDefined();
        expect(issuesOf(success.schema, example)).toEqual([]);
      });
    }
  }
});
