// Single sign-on against a real OpenID Connect provider on localhost (e2e/oidc-provider.mjs): the login page
// offers it, the person goes through the provider's own login and consent pages, is created on first sign-in
// with the role and clients from the `groups` claim, and an admin can disable them in the console. People are bound
// to the provider's subject: its user with a local password account's email doesn't become that account (unless
// an admin allows the link), an unverified email is refused, and a new email for the same subject is the same person.
import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./fixtures";
import fs from "node:fs";
import { E2E_OIDC_CLAIMS_FILE, E2E_OIDC_NAME } from "./settings.mjs";

type User = {
  id: string;
  email: string;
  name: string | null;
  role: string;
  single_sign_on_identity: { issuer: string; subject: string } | null;
  single_sign_on_link_allowed: boolean;
};

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

test("a provider user with the email of the local password admin does not become that admin", async ({
  page,
  api,
  browser,
  baseURL,
}) => {
  await signInThroughProvider(page, "sso-local-admin");
  await expect(page).toHaveURL(/\/login\?.*error=SsoPasswordAccount/);
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "A console account with your email already signs in with a password" }),
  ).toBeVisible();
  expect((await page.request.get("/v2/me")).status()).toBe(401);

  // The admin keeps their role, with no identity bound, and still signs in with their password.
  const people = await api.get<{ items: User[] }>("/v2/users");
  expect(people.body.items.find((u) => u.email === "admin@e2e.test")).toMatchObject({
    role: "admin",
    single_sign_on_identity: null,
  });
  const adminContext = await browser.newContext({ baseURL });
  const adminPage = await adminContext.newPage();
  await signInAs(adminPage, "admin");
  expect(await (await adminPage.request.get("/v2/me")).json()).toMatchObject({
    subject: "user:admin@e2e.test",
    role: "admin",
  });
  await adminContext.close();
});

test("a provider user whose email the provider has not verified is refused", async ({
  page,
  api,
}) => {
  await signInThroughProvider(page, "sso-unverified");
  await expect(page).toHaveURL(/\/login\?.*error=SsoEmailNotVerified/);
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "Your identity provider has not verified your email address" }),
  ).toBeVisible();
  expect((await page.request.get("/v2/me")).status()).toBe(401);
  const people = await api.get<{ items: User[] }>("/v2/users");
  expect(people.body.items.map((u) => u.email)).not.toContain("sso-unverified@idp.e2e.test");
});

test("a second sign-in with the same subject and a new email is the same person, and the change is audited", async ({
  page,
  api,
  browser,
  baseURL,
}) => {
  await signInThroughProvider(page, "sso-mover");
  await expect(page).toHaveURL(/\/clients$/);
  expect(await (await page.request.get("/v2/me")).json()).toMatchObject({
    subject: "user:sso-mover@idp.e2e.test",
  });
  const before = (await api.get<{ items: User[] }>("/v2/users")).body.items.find(
    (u) => u.email === "sso-mover@idp.e2e.test",
  )!;
  expect(before.single_sign_on_identity).toMatchObject({ subject: "sso-mover" });

  // Later, the provider has a new email and name for the same subject (a new browser: a new provider login).
  fs.writeFileSync(
    E2E_OIDC_CLAIMS_FILE,
    JSON.stringify({ "sso-mover": { email: "mo.moved@idp.e2e.test", name: "Mo Moved" } }),
  );
  const laterContext = await browser.newContext({ baseURL });
  const later = await laterContext.newPage();
  try {
    await signInThroughProvider(later, "sso-mover");
    await expect(later).toHaveURL(/\/clients$/);
  } finally {
    fs.rmSync(E2E_OIDC_CLAIMS_FILE, { force: true });
  }
  await expect(later.getByRole("link", { name: /Mo Moved/ })).toBeVisible();
  expect(await (await later.request.get("/v2/me")).json()).toMatchObject({
    subject: "user:mo.moved@idp.e2e.test",
  });
  await laterContext.close();

  const people = (await api.get<{ items: User[] }>("/v2/users")).body.items;
  expect(people.find((u) => u.id === before.id)).toMatchObject({
    email: "mo.moved@idp.e2e.test",
    name: "Mo Moved",
    single_sign_on_identity: { subject: "sso-mover" },
  });
  expect(people.map((u) => u.email)).not.toContain("sso-mover@idp.e2e.test");
  const audit = await api.get<{
    items: { action: string; before: unknown; after: unknown }[];
  }>("/v2/audit?entity_type=user&entity_id=mo.moved@idp.e2e.test");
  expect(audit.body.items.find((e) => e.action === "user.update")).toMatchObject({
    before: { email: "sso-mover@idp.e2e.test", name: "Mo Mover" },
    after: { email: "mo.moved@idp.e2e.test", name: "Mo Moved", via: "oidc claim" },
  });
});

test("an admin allows single sign-on for a password account on the Access page; the next sign-in links it", async ({
  page,
  api,
  browser,
  baseURL,
}) => {
  const email = "sso-linda@idp.e2e.test";
  const created = await api.send<User>("POST", "/v2/users", {
    email,
    role: "editor",
    password: "linda-password-1",
  });
  expect(created.status).toBe(201);
  await signInThroughProvider(page, "sso-linda");
  await expect(page).toHaveURL(/\/login\?.*error=SsoPasswordAccount/);

  const adminContext = await browser.newContext({ baseURL });
  const adminPage = await adminContext.newPage();
  await signInAs(adminPage, "admin");
  await adminPage.goto("/access");
  const row = adminPage.getByRole("row").filter({ hasText: email });
  await row.getByRole("button", { name: `Allow single sign-on for ${email}` }).click();
  const confirm = adminPage.getByRole("dialog", { name: `Allow single sign-on for ${email}?` });
  await confirm.getByRole("button", { name: "Allow single sign-on", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("single sign-on link allowed");

  // The provider remembers Linda: straight back, and now she is that person, with the claim's role.
  await page.getByRole("button", { name: `Sign in with ${E2E_OIDC_NAME}` }).click();
  await expect(page).toHaveURL(/\/clients$/);
  expect(await (await page.request.get("/v2/me")).json()).toMatchObject({
    subject: `user:${email}`,
    role: "viewer",
  });
  await adminPage.reload();
  await expect(row).toContainText("linked to single sign-on");
  await expect(row).not.toContainText("link allowed");
  await adminContext.close();
  const person = (await api.get<User>(`/v2/users/${created.body.id}`)).body;
  expect(person).toMatchObject({
    single_sign_on_identity: { subject: "sso-linda" },
    single_sign_on_link_allowed: false,
  });
});
