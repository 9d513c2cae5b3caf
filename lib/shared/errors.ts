// Errors that carry their HTTP status and the envelope's extra fields; the route wrapper renders them.
import type { ValidationIssue } from "@/lib/schemas/common";

type ErrorExtras = Record<string, unknown>;

export class ApiError extends Error {
  readonly status: number;
  readonly extras: ErrorExtras;
  readonly headers: Record<string, string>;
  /** A short kind of refusal for metrics ("incompatible_features"); not part of the response. */
  reason?: string;

  constructor(
    status: number,
    message: string,
    extras: ErrorExtras = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.extras = extras;
    this.headers = headers;
  }
}

export const badRequest = (message: string, issues?: ValidationIssue[]) =>
  new ApiError(400, message, issues ? { issues } : {});
export const unauthorized = (message: string) =>
  new ApiError(401, message, {}, { "WWW-Authenticate": 'Bearer realm="v2"' });
export const forbidden = (message: string) => new ApiError(403, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string) => new ApiError(409, message);
export const preconditionFailed = (message: string) => new ApiError(412, message);
/** A 422; `reason` is a short kind for metrics ("incompatible_features"), never shown to the caller. */
export const unprocessable = (message: string, extras: ErrorExtras = {}, reason?: string) =>
  Object.assign(new ApiError(422, message, extras), reason ? { reason } : {});

/** The one error envelope of every /v2 route. */
export function errorResponse(
  status: number,
  message: string,
  extras: ErrorExtras = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ success: false, message, ...extras }), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

/**
 * The PostgreSQL error itself, from either driver (Drizzle wraps it in a DrizzleQueryError whose `cause` it is), or
 * undefined: the one walk every check below uses.
 */
function pgError(
  error: unknown,
): { code: string; constraint?: string; message: string } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code))
    return error as { code: string; constraint?: string; message: string };
  const cause = (error as { cause?: unknown }).cause;
  return cause && cause !== error ? pgError(cause) : undefined;
}

/** A PostgreSQL error code, from either driver. */
export function pgErrorCode(error: unknown): string | undefined {
  return pgError(error)?.code;
}

/**
 * True when the error is a unique violation (23505), optionally of one constraint or index (by its name's prefix),
 * whether it comes from node-postgres, PGlite or Drizzle's wrapper. The one check every "already exists" uses.
 */
export function isUniqueViolation(error: unknown, constraintPrefix?: string): boolean {
  const pg = pgError(error);
  if (pg?.code !== "23505") return false;
  return constraintPrefix === undefined || (pg.constraint ?? "").startsWith(constraintPrefix);
}

/**
 * A deadlock (40P01) or serialization failure (40001): PostgreSQL aborted the write because of a concurrent one,
 * and the same request may succeed on a retry. Answered as 503 with Retry-After: `message` says what was aborted.
 */
export function retryableAbort(error: unknown, message: string): ApiError | undefined {
  const code = pgErrorCode(error);
  if (code !== "40P01" && code !== "40001") return undefined;
  return new ApiError(503, message, {}, { "retry-after": "1" });
}

/** PostgreSQL's own message (not Drizzle's "Failed query: …" wrapper, which carries the SQL text), or "". */
export function pgErrorMessage(error: unknown): string {
  return pgError(error)?.message ?? "";
}

/** The violated constraint's name (foreign keys, checks, unique indexes), or "" when there is none. */
export function pgConstraint(error: unknown): string {
  return pgError(error)?.constraint ?? "";
}
