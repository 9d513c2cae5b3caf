// GET /v2/openapi.json: the OpenAPI 3.1 document of every /v2 route, generated from the zod schemas; public.
import { defineRoute, json } from "@/lib/server/http/route";
import { buildOpenApiDocument } from "@/lib/server/openapi/document";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = defineRoute({
  GET: { scope: null, handler: async () => json(buildOpenApiDocument()) },
});
