// Single sign-on against a real OpenID Connect provider on localhost (e2e/oidc-provider.mjs): the login page
// offers it, the person goes through the provider's own login and consent pages, is created on first sign-in
// with the role and clients from the `groups` claim, and an admin can disable them in the console.
import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";
import { E2E_OIDC_NAME } from "./settings.mjs";

async function signInThroughProvider(page: Page, login: string): Promise<void> {
  await page.goto("/clients");
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: `Sign in with ${E2E_OIDC_NAME}` }).click();
  // The provider's login page.
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password the test provider accepts");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // Its consent page.
  await page.getByRole("button", { name: "Continue" }).click();
}

test("a person signs in with the identity provider and gets the role and clients of their groups", async ({
  page,
  api,
  browser,
  baseURL,
}) => {
  await signInThroughProvider(page, "sso-editor");
  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByRole("link", { name: /Sam Sso/ })).toBeVisible();
  const me = await (await page.request.get("/v2/me")).json();
  expect(me).toMatchObject({
    subject: "user:sso-editor@idp.e2e.test",
    via: "session",
    role: "editor",
    clients: ["client-1"],
  });

  // Created on first sign-in: the admin sees them among the people.
  const people = await api.get<{ items: { id: string; email: string; role: string }[] }>(
    "/v2/users",
  );
  const person = people.body.items.find((u) => u.email === "sso-editor@idp.e2e.test");
  expect(person).toMatchObject({ role: "editor" });

  // The admin's Access page tells single sign-on people and their clients apart.
  const adminContext = await browser.newContext({ baseURL });
  const adminPage = await adminContext.newPage();
  await signInAs(adminPage, "admin");
  await adminPage.goto("/access");
  const row = adminPage.getByRole("row").filter({ hasText: "sso-editor@idp.e2e.test" });
  await expect(row).toContainText("single sign-on");
  await expect(row).toContainText("clients: client-1");
  await adminContext.close();

  // Disabled in the console: the open session ends, and the provider can't sign them in again.
  expect((await api.send("PATCH", `/v2/users/${person!.id}`, { disabled: true })).status).toBe(200);
  await page.reload();
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: `Sign in with ${E2E_OIDC_NAME}` }).click();
  // The provider remembers the person: straight back, refused.
  await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/);
  await expect(
    page.getByRole("alert").filter({ hasText: "no access to this console, or it is disabled" }),
  ).toBeVisible();
  expect((await page.request.get("/v2/me")).status()).toBe(401);
  // The audit log has the first sign-in's creation, the sign-in and the refused one.
  const audit = await api.get<{ items: { action: string; after: { via?: string } | null }[] }>(
    "/v2/audit?entity_type=user&entity_id=sso-editor@idp.e2e.test",
  );
  expect(audit.body.items.map((e) => e.action).reverse()).toEqual([
    "user.create",
    "sign_in.success",
    "user.update",
    "sign_in.failure",
  ]);
  await api.send("PATCH", `/v2/users/${person!.id}`, { disabled: false });
});

test("a person whose groups grant no role is refused", async ({ page }) => {
  await signInThroughProvider(page, "sso-nobody");
  await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/);
  await expect(
    page.getByRole("alert").filter({ hasText: "no access to this console" }),
  ).toBeVisible();
  expect((await page.request.get("/v2/me")).status()).toBe(401);
});
