// The API reference at /docs/api: public, rendered entirely from the app's own origin (every other request is
// aborted and recorded), listing every operation of /v2/openapi.json, with a "try it" that uses a pasted token.
import { adminToken, expect, test } from "./fixtures";

test("the API reference renders every operation with no network beyond the app, and tries a call with a pasted token", async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const leftTheOrigin: string[] = [];
  await page.context().route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    leftTheOrigin.push(url);
    return route.abort("blockedbyclient");
  });
  // Belt and braces: anything the route handler does not see (a worker, a redirect) still shows up here.
  const requested: string[] = [];
  page.on("request", (request) => requested.push(request.url()));
  // The page's nonce CSP must not have to block anything the reference needs.
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  const document = (await (await page.request.get("/v2/openapi.json")).json()) as {
    paths: Record<string, Record<string, { summary: string }>>;
  };
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, path, summary: op.summary })),
  );
  expect(operations.length).toBeGreaterThan(30);

  // No session: the page is public, not redirected to sign-in.
  await page.goto("/docs/api");
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Model assignment console API/ })).toBeVisible();

  // Every operation of the document is listed, by method, path and summary.
  await expect(page.locator(".opblock")).toHaveCount(operations.length);
  for (const { method, path, summary } of operations) {
    const block = page.locator(".opblock", {
      has: page.locator(".opblock-summary-path", { hasText: new RegExp(`^${escape(path)}$`) }),
    });
    const row = block.filter({ has: page.locator(".opblock-summary-method", { hasText: method }) });
    await expect(row, `${method.toUpperCase()} ${path}`).toContainText(summary);
  }

  // Try it: without a token the call is refused; with a pasted token it answers as that caller.
  const me = page.locator(".opblock", {
    has: page.locator(".opblock-summary-path", { hasText: /^\/v2\/me$/ }),
  });
  await me
    .getByRole("button", { name: /\/v2\/me/ })
    .first()
    .click();
  await me.getByRole("button", { name: "Try it out" }).click();
  await me.getByRole("button", { name: "Execute" }).click();
  const liveResponse = me.locator(".live-responses-table .response");
  await expect(liveResponse.locator(".response-col_status")).toHaveText("401");

  const token = await adminToken();
  await page.getByRole("button", { name: "Authorize" }).first().click();
  await page.getByRole("textbox", { name: "auth-bearer-value" }).fill(token);
  await page.getByRole("button", { name: "Apply credentials" }).first().click();
  await page.getByRole("button", { name: "Close" }).first().click();

  await me.getByRole("button", { name: "Execute" }).click();
  await expect(liveResponse.locator(".response-col_status")).toHaveText("200");
  await expect(liveResponse).toContainText('"subject": "e2e-setup"');

  // The seed page's PUT shows its example request and response.
  const seed = page.locator(".opblock-put", {
    has: page.locator(".opblock-summary-path", {
      hasText:
        /^\/v2\/clients\/\{client_id\}\/domains\/\{domain_id\}\/service\/\{service_id\}\/assignments\/\{assignment_key\}$/,
    }),
  });
  await seed.getByRole("button", { name: /Create or update a service model assignment/ }).click();
  await expect(seed.locator(".opblock-section-request-body")).toContainText(
    '"model_version": "2.0.0"',
  );
  await expect(seed.locator(".responses-table").first()).toContainText(
    '"created_by": "deploy-pipeline"',
  );

  expect(cspViolations).toEqual([]);
  expect(leftTheOrigin).toEqual([]);
  expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
