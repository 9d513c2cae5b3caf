// The console's one fetch wrapper: calls /v2 with the session cookie and turns the error envelope into an
// ApiClientError the UI can show next to the thing it concerns.
import { CHANGE_REASON_HEADER, encodeChangeReason } from "@/lib/shared/reason-header";
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

type ApiRequest = {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  ifMatch?: string | null;
  /** The change reason a person typed, sent as X-Change-Reason (kept in the audit log). */
  reason?: string | null;
  signal?: AbortSignal;
};

export type ApiResult<T> = { data: T; etag: string | null; status: number };

export async function apiRequest<T>(path: string, request: ApiRequest = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  if (request.ifMatch) headers["if-match"] = request.ifMatch;
  if (request.reason?.trim())
    headers[CHANGE_REASON_HEADER] = encodeChangeReason(request.reason.trim());
  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method ?? "GET",
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      credentials: "same-origin",
      signal: request.signal,
    });
  } catch (error) {
    throw unreachable(error);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) throw refusal(response.status, body);
  return { data: body as T, etag: response.headers.get("etag"), status: response.status };
}

/**
 * The error for a refused call, from the error envelope (`message`, `issues`, `blocking_services`); a 401 also
 * sends the person to sign in again. Used by apiRequest and by the typed client (typed-client.ts).
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

export async function apiFetch<T>(path: string, request: ApiRequest = {}): Promise<T> {
  return (await apiRequest<T>(path, request)).data;
}

/** Builds a /v2 path from segments, encoding each. */
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
