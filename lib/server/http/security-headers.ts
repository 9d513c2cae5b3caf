// Security headers of every answer: API answers (JSON, never framed or rendered as a page) and console pages
// (a nonce-based CSP for Next's scripts). proxy.ts adds the page headers; the /v2 route wrapper adds the API ones.
// Runs in the proxy too, so it uses only web APIs.

/** API answers are data: nothing in them may load, run or be framed. */
import "server-only";
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=()";

const HSTS = "max-age=63072000; includeSubDomains";

/**
 * Served over HTTPS: the request came in on https, or through a proxy that says so (X-Forwarded-Proto), or the
 * console's public URL (NEXTAUTH_URL) is https. HSTS sent over plain HTTP is ignored by browsers anyway.
 */
export function isHttps(request: Request | undefined): boolean {
  if (process.env.NEXTAUTH_URL?.startsWith("https://")) return true;
  if (!request) return false;
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  return request.url.startsWith("https://");
}

/** The headers every answer carries, pages and API alike. */
export function commonSecurityHeaders(https: boolean): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "permissions-policy": PERMISSIONS_POLICY,
    ...(https ? { "strict-transport-security": HSTS } : {}),
  };
}

export function apiSecurityHeaders(https: boolean): Record<string, string> {
  return {
    ...commonSecurityHeaders(https),
    "content-security-policy": API_CSP,
    "referrer-policy": "no-referrer",
  };
}

/**
 * A console page's CSP: scripts only from this origin or carrying this request's nonce ('strict-dynamic' lets
 * Next's nonce'd loader pull its chunks), never inline script without the nonce. Styles allow 'unsafe-inline'
 * (React style attributes); development adds 'unsafe-eval' for React's dev tooling.
 */
export function pageCsp(nonce: string, options: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

const API_HEADER_LISTS = [false, true].map((https) =>
  Object.freeze(Object.entries(apiSecurityHeaders(https))),
) as [readonly [string, string][], readonly [string, string][]];

/** apiSecurityHeaders as name/value pairs, made once (every /v2 answer sets them). */
export function apiSecurityHeaderList(https: boolean): readonly [string, string][] {
  return API_HEADER_LISTS[https ? 1 : 0];
}

/** Adds the API headers to a /v2 answer (copying it when its headers are immutable). */
export function withSecurityHeaders(response: Response, request?: Request): Response {
  const headers = apiSecurityHeaderList(isHttps(request));
  try {
    for (const [name, value] of headers) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of headers) copy.headers.set(name, value);
    return copy;
  }
}
