// A person's browser for API tests: a cookie jar that signs in through next-auth's own endpoints (CSRF token,
// credentials callback) exactly as the console's login form does, then calls /v2 with the session cookie.
//
// next-auth's app-router handler reads the request's headers and cookies through `next/headers`, which only
// works inside Next's own request scope. This helper puts `nextHeadersFromRequest` (below) in Node's module
// cache in place of `next/headers` for next-auth's `require`: it answers from the request being handled (kept in
// an AsyncLocalStorage), the same values Next would give. Everything else (next-auth, the route handler, the
// database) is real, and the e2e and two-process tests run the same paths in the production server.
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { call, type ApiResponse, type CallOptions } from "./api";

const current = new AsyncLocalStorage<Request>();

function requestInScope(): Request {
  const request = current.getStore();
  if (!request)
    throw new Error("next/headers used outside a request handled by tests/helpers/browser.ts");
  return request;
}

function parseCookies(header: string | null): { name: string; value: string }[] {
  return (header ?? "")
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      // As Next's cookies(): values arrive URL-decoded.
      return { name: part.slice(0, eq), value: decodeURIComponent(part.slice(eq + 1)) };
    });
}

/** The `next/headers` module as Next provides it inside a route handler, for `vi.mock("next/headers", …)`. */
const nextHeadersFromRequest = {
  headers: async () => new Headers(requestInScope().headers),
  cookies: async () => {
    const all = parseCookies(requestInScope().headers.get("cookie"));
    return {
      getAll: () => all,
      get: (name: string) => all.find((c) => c.name === name),
      has: (name: string) => all.some((c) => c.name === name),
    };
  },
};

process.env.NEXTAUTH_URL ??= "http://localhost:3000";
export const ORIGIN = "http://localhost:3000";

type AuthHandler = (
  request: Request,
  context: { params: Promise<{ nextauth: string[] }> },
) => Promise<Response>;

const requireFromNextAuth = createRequire(createRequire(import.meta.url).resolve("next-auth"));
const nextHeadersPath = requireFromNextAuth.resolve("next/headers");
requireFromNextAuth.cache[nextHeadersPath] = {
  id: nextHeadersPath,
  filename: nextHeadersPath,
  loaded: true,
  exports: nextHeadersFromRequest,
} as unknown as NodeJS.Module;

async function authHandler(method: "GET" | "POST"): Promise<AuthHandler> {
  const mod = (await import("@/app/api/auth/[...nextauth]/route")) as unknown as Record<
    string,
    AuthHandler
  >;
  return mod[method]!;
}

export class Browser {
  readonly jar = new Map<string, string>();

  constructor(readonly address = "203.0.113.7") {}

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** The session cookie as it would be copied by someone who stole it. */
  sessionCookie(): string {
    return [...this.jar]
      .filter(([k]) => k.startsWith("next-auth.session-token"))
      .map(([k, v]) => `${k}=${v}`)
      .join("; ");
  }

  private store(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attrs] = cookie.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (!value || expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async auth(
    method: "GET" | "POST",
    path: string,
    form?: Record<string, string>,
  ): Promise<Response> {
    const headers = new Headers({ cookie: this.cookieHeader(), "x-forwarded-for": this.address });
    if (form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      headers.set("x-auth-return-redirect", "1");
    }
    const request = new Request(`${ORIGIN}/api/auth/${path}`, {
      method,
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const handler = await authHandler(method);
    // As in Next, the handler gets a NextRequest (next-auth reads `nextUrl`).
    const { NextRequest } = await import("next/server");
    const nextRequest = new NextRequest(request);
    const response = await current.run(nextRequest, () =>
      handler(nextRequest, { params: Promise.resolve({ nextauth: path.split("/") }) }),
    );
    this.store(response);
    return response;
  }

  private async csrf(): Promise<string> {
    const body = (await (await this.auth("GET", "csrf")).json()) as { csrfToken: string };
    return body.csrfToken;
  }

  /** Signs in the way the login form does; true when a session cookie was set. */
  async signIn(email: string, password: string): Promise<{ ok: boolean; response: Response }> {
    const response = await this.auth("POST", "callback/credentials", {
      csrfToken: await this.csrf(),
      email,
      password,
      json: "true",
      callbackUrl: `${ORIGIN}/clients`,
    });
    return { ok: this.jar.has("next-auth.session-token"), response };
  }

  async signOut(): Promise<Response> {
    return this.auth("POST", "signout", { csrfToken: await this.csrf(), json: "true" });
  }

  /** What the console's pages see: next-auth's session, or null. */
  async session(): Promise<{ user?: { email?: string; role?: string } } | null> {
    const body = (await (await this.auth("GET", "session")).json()) as Record<string, unknown>;
    return body && Object.keys(body).length > 0 ? body : null;
  }

  v2<T = Record<string, unknown>>(
    method: string,
    url: string,
    options: CallOptions = {},
  ): Promise<ApiResponse<T>> {
    return call<T>(method, url, {
      ...options,
      headers: {
        cookie: this.cookieHeader(),
        origin: ORIGIN,
        "x-forwarded-for": this.address,
        ...options.headers,
      },
    });
  }
}
