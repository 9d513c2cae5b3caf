// Any /v2 path no route serves: a JSON 404, never Next's HTML page.
import { withSecurityHeaders } from "@/lib/server/http/security-headers";
import { errorResponse } from "@/lib/shared/errors";

const notFound = async (request: Request) =>
  withSecurityHeaders(
    errorResponse(
      404,
      `No such route: ${request.method} ${new URL(request.url).pathname}; see /v2/openapi.json for the routes`,
    ),
    request,
  );

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
