// proxy.ts, as Next runs it before every console page: a fresh nonce CSP and the security headers on each page
// (signed in or sent to sign-in), HSTS only over HTTPS. The browser side is e2e/security-headers.spec.ts.
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "@/proxy";

const csp = (res: Response) => res.headers.get("content-security-policy") ?? "";

describe("page security headers", () => {
  it("give every page a fresh nonce CSP without inline scripts, and forbid framing", () => {
    const a = proxy(new NextRequest("http://localhost:3000/login"));
    const b = proxy(new NextRequest("http://localhost:3000/login"));
    expect(csp(a)).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
    expect(csp(a)).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp(a)).toMatch(/frame-ancestors 'none'/);
    expect(csp(a)).toMatch(/object-src 'none'/);
    expect(csp(a)).not.toBe(csp(b));
    for (const res of [a, b]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
    // Next reads the nonce from the forwarded request's CSP header.
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp(a));
  });

  it("keeps the headers on the redirect to sign-in, and adds HSTS behind HTTPS", () => {
    const res = proxy(
      new NextRequest("http://localhost:3000/access", {
        headers: { "x-forwarded-proto": "https" },
      }),
    );
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toMatch(/\/login\?callbackUrl=%2Faccess$/);
    expect(csp(res)).toMatch(/frame-ancestors 'none'/);
    expect(csp(res)).toMatch(/upgrade-insecure-requests/);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
  });

  it("lets anyone open the API reference, with the page headers, and still guards the console", () => {
    const res = proxy(new NextRequest("http://localhost:3000/docs/api"));
    expect(res.headers.get("location")).toBeNull();
    expect(csp(res)).toMatch(/script-src 'self' 'nonce-/);
    expect(proxy(new NextRequest("http://localhost:3000/docs")).headers.get("location")).toMatch(
      /\/login\?callbackUrl=%2Fdocs$/,
    );
  });

  it("runs for every page, and not for /v2 or static files", () => {
    const [matcher] = config.matcher;
    const re = new RegExp(`^${matcher}$`);
    for (const path of ["/", "/login", "/access", "/clients/client-1", "/api/auth/csrf"])
      expect(re.test(path), path).toBe(true);
    for (const path of ["/v2/me", "/_next/static/chunks/a.js"])
      expect(re.test(path), path).toBe(false);
  });
});
