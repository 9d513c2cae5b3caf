// GET /v2/openapi.json: the OpenAPI 3.1 document of every /v2 route, generated from the zod schemas; public.
import { routeOf } from "@/lib/server/http/operation";
import { getOpenApiDocument } from "@/lib/server/operations/meta";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = routeOf(getOpenApiDocument);
