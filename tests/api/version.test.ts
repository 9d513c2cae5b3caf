// The app's version (package.json) is what the health check, the metrics, the OpenAPI document and the console's
// footer say, and the changelog has a section for it.
import fs from "node:fs";
import path from "node:path";
import React from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getMetrics } from "@/lib/server/observability/metrics.mjs";
import { call } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

vi.mock("next/navigation", () => ({ usePathname: () => "/clients" }));

const ROOT = path.resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
};

describe("the app's version", () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase("pglite");
  });
  afterAll(async () => tdb.drop());

  it("is a semantic version", () => {
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
  });

  it("is answered by GET /v2/health/live with the API's major version", async () => {
    const res = await call("GET", "/v2/health/live");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", version: pkg.version, api: "v2" });
  });

  it("is the OpenAPI document's info.version", async () => {
    const res = await call<{ info: { version: string } }>("GET", "/v2/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.info.version).toBe(pkg.version);
  });

  it("is a label of model_console_build_info in /metrics", async () => {
    const text = await getMetrics().registry.metrics();
    expect(text).toContain(`model_console_build_info{version="${pkg.version}",api="v2"} 1`);
  });

  it("is shown in the console's footer", async () => {
    const { ConsoleShell } = await import("@/components/layout/console-shell");
    const { APP_VERSION } = await import("@/lib/shared/version");
    const props: Parameters<typeof ConsoleShell>[0] = {
      user: { email: "a@example.com", name: "A", role: "admin", mustChangePassword: false },
      version: APP_VERSION,
      children: React.createElement("p", null, "page"),
    };
    // As the root layout renders it: inside the app's query client (the shell's review count is a query).
    const { QueryClient, QueryClientProvider } = await import("@tanstack/react-query");
    const html = renderToStaticMarkup(
      React.createElement(
        QueryClientProvider,
        { client: new QueryClient() },
        React.createElement(ConsoleShell, props),
      ),
    );
    expect(html).toMatch(
      new RegExp(
        `<footer[^>]*>.*<span data-testid="app-version">${pkg.version.replace(/\./g, "\\.")}</span>`,
      ),
    );
  });

  it("has its section in CHANGELOG.md, or is the one [Unreleased] will be released as", () => {
    const changelog = fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
    const released = changelog.includes(`## [${pkg.version}]`);
    const upcoming = new RegExp(
      `## \\[Unreleased\\][^\\n]*\\n+[^#]*\\b${pkg.version.replace(/\./g, "\\.")}\\b`,
    ).test(changelog);
    expect(released || upcoming).toBe(true);
  });
});
