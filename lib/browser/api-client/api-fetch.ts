// What the console's typed client (typed-client.ts) shares: the error envelope as an ApiClientError the UI can show
// next to the thing it concerns, and the one builder of /v2 URLs that are not JSON calls (the change feed's event
// stream, the audit CSV link).
import type { BlockingService, ValidationIssue } from "./types";

export class ApiClientError extends Error {
  readonly status: number;
  readonly blockingServices: BlockingService[];
  readonly issues: ValidationIssue[];

  constructor(status: number, message: string, body: Record<string, unknown> = {}) {
    super(message);
    this.name = "ApiClientError";
    this.status = status;
    this.blockingServices = Array.isArray(body.blocking_services)
      ? (body.blocking_services as BlockingService[])
      : [];
    this.issues = Array.isArray(body.issues) ? (body.issues as ValidationIssue[]) : [];
  }

  /** The server's message for one field (issues[].path), if it named it. */
  issueFor(path: string): string | undefined {
    return this.issues.find((i) => i.path === path)?.message;
  }
}

export type ApiResult<T> = { data: T; etag: string | null; status: number };

/**
 * The error for a refused call, from the error envelope (`message`, `issues`, `blocking_services`); a 401 also
 * sends the person to sign in again. Used by the typed client (typed-client.ts).
 */
export function refusal(status: number, body: unknown): ApiClientError {
  const envelope = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const message =
    typeof envelope.message === "string" ? envelope.message : `The server answered ${status}`;
  if (status === 401 && typeof window !== "undefined") {
    // The session expired: back to sign-in, then here again. A full navigation (not the router) so the
    // query cache of the old session is dropped.
    const back = encodeURIComponent(window.location.pathname + window.location.search);
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/login?callbackUrl=${back}`);
  }
  return new ApiClientError(status, message, envelope);
}

/** A call that got no answer (offline, the server down); an abort stays an abort. */
export function unreachable(error: unknown): Error {
  if ((error as Error).name === "AbortError") return error as Error;
  return new ApiClientError(0, "Could not reach the server; check your connection and try again");
}

/** Builds a /v2 path from segments, encoding each (for an EventSource or a link; JSON calls use the typed client). */
export function v2(...segments: string[]): string {
  return `/v2/${segments.map(encodeURIComponent).join("/")}`;
}

export function withQuery(
  path: string,
  params: Record<string, string | number | boolean | undefined | null | string[]>,
): string {
  const qs = searchOf(params);
  return qs ? `${path}?${qs}` : path;
}

/** A query string (without `?`): empty, null and undefined values left out, an array as repeated names. */
export function searchOf(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
    else search.set(key, String(value));
  }
  return search.toString();
}
