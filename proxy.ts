// Runs before every console page (never /v2, whose route wrapper sets its own headers): a fresh CSP nonce and
// the security headers on each page, and people without a session cookie sent to sign-in, remembering where
// they were going. The console layout still verifies the session itself; this only keeps deep links working.
import { NextResponse, type NextRequest } from "next/server";
import { commonSecurityHeaders, isHttps, pageCsp } from "@/lib/server/http/security-headers";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
/** Pages anyone may open: signing in, next-auth's own endpoints, and the API reference (like /v2/openapi.json). */
const PUBLIC_PREFIXES = ["/login", "/api/", "/docs/api"];

function withPageHeaders(response: NextResponse, csp: string, https: boolean): NextResponse {
  response.headers.set("content-security-policy", csp);
  response.headers.set("referrer-policy", "same-origin");
  for (const [name, value] of Object.entries(commonSecurityHeaders(https)))
    response.headers.set(name, value);
  return response;
}

export function proxy(request: NextRequest) {
  const https = isHttps(request);
  const nonce = btoa(crypto.randomUUID());
  const csp = pageCsp(nonce, { https, dev: process.env.NODE_ENV === "development" });
  const { pathname } = request.nextUrl;
  const isPublic = PUBLIC_PREFIXES.some((p) => pathname === p || pathname.startsWith(p));
  const hasSession = request.cookies
    .getAll()
    .some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
  if (!isPublic && !hasSession) {
    const url = request.nextUrl.clone();
    const callbackUrl = `${pathname}${request.nextUrl.search}`;
    url.pathname = "/login";
    url.search = callbackUrl === "/" ? "" : `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    return withPageHeaders(NextResponse.redirect(url), csp, https);
  }
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  return withPageHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp, https);
}

export const config = {
  matcher: ["/((?!v2|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
