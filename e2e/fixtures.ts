// Test fixtures: sign in over HTTP (not through the form each time), and an admin API client with a bearer
// token for creating each test's own data and checking what was saved.
import { test as base, expect, request, type APIRequestContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { E2E_USERS } from "./settings.mjs";

type Role = "admin" | "editor" | "viewer";

export async function signInAs(page: Page, role: Role): Promise<void> {
  const user = E2E_USERS.find((u) => u.role === role)!;
  const request = page.context().request;
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as {
    csrfToken: string;
  };
  const res = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password, json: "true" },
  });
  expect(res.ok(), `sign in as ${role}`).toBeTruthy();
}

let setupToken: Promise<string> | undefined;

/**
 * An admin bearer token for test setup, made the way an admin makes one: signed in, on POST /v2/tokens (the
 * server accepts only tokens it has a record of). One per worker, for an hour.
 */
export function adminToken(): Promise<string> {
  setupToken ??= (async () => {
    const baseURL = `http://127.0.0.1:${process.env.E2E_PORT ?? 3300}`;
    const context = await request.newContext({ baseURL });
    try {
      const user = E2E_USERS.find((u) => u.role === "admin")!;
      const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as {
        csrfToken: string;
      };
      const signIn = await context.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: user.email, password: user.password, json: "true" },
      });
      expect(signIn.ok(), "sign in as admin for the setup token").toBeTruthy();
      const res = await context.post("/v2/tokens", {
        headers: { origin: baseURL },
        data: {
          name: `e2e-setup-${randomUUID()}`,
          subject: "e2e-setup",
          scopes: ["admin"],
          clients: "*",
          expires_in_seconds: 3600,
        },
      });
      expect(res.status(), await res.text()).toBe(201);
      return ((await res.json()) as { token: string }).token;
    } finally {
      await context.dispose();
    }
  })();
  return setupToken;
}

export type Api = {
  get: <T = Record<string, unknown>>(
    path: string,
  ) => Promise<{ status: number; body: T; etag: string | null }>;
  send: <T = Record<string, unknown>>(
    method: "POST" | "PUT" | "PATCH",
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: T }>;
};

function makeApi(request: APIRequestContext, token: string): Api {
  const headers = { authorization: `Bearer ${token}` };
  return {
    get: async (path) => {
      const res = await request.get(path, { headers });
      return { status: res.status(), body: await res.json(), etag: res.headers()["etag"] ?? null };
    },
    send: async (method, path, body, extra = {}) => {
      const res = await request.fetch(path, {
        method,
        headers: { ...headers, "content-type": "application/json", ...extra },
        data: JSON.stringify(body),
      });
      return { status: res.status(), body: await res.json() };
    },
  };
}

/** A unique id per test run, so specs can create their own domains and services without clashing. */
export const uniqueId = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

export const test = base.extend<{ api: Api }>({
  api: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL });
    await use(makeApi(request, await adminToken()));
    await request.dispose();
  },
});

export { expect };
