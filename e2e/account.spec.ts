// My account: signing out everywhere ends the person's session in another browser at once, and changing one's
// password keeps this browser signed in while every other session ends.
import type { Browser, Page } from "@playwright/test";
import { expect, test, uniqueId, type Api } from "./fixtures";
import { createFreshDomain } from "./fresh-domain";

async function signInWithForm(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("button", { name: "Sign out", exact: true })).toBeVisible();
}

async function twoBrowsers(browser: Browser, email: string, password: string) {
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const a = await laptop.newPage();
  const b = await phone.newPage();
  await signInWithForm(a, email, password);
  await signInWithForm(b, email, password);
  return { a, b, close: () => Promise.all([laptop.close(), phone.close()]) };
}

/** A new person (role, password they chose) signed in in two browsers of their own. */
async function personInTwoBrowsers(
  browser: Browser,
  api: Api,
  { prefix, role, password }: { prefix: string; role: string; password: string },
) {
  const email = `${uniqueId(prefix)}@e2e.test`;
  const created = await api.send("POST", "/v2/users", {
    email,
    role,
    password,
    must_change_password: false,
  });
  expect(created.status).toBe(201);
  return { email, ...(await twoBrowsers(browser, email, password)) };
}

test("signing out everywhere ends the session in a second browser at once", async ({
  browser,
  api,
}) => {
  const password = "everywhere password 1";
  const { a, b, close } = await personInTwoBrowsers(browser, api, {
    prefix: "everywhere",
    role: "viewer",
    password,
  });

  await a.getByRole("link", { name: /viewer/ }).click();
  await expect(a.getByRole("heading", { name: "My account" })).toBeVisible();
  await a.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(a).toHaveURL(/\/login/);

  await b.goto("/clients");
  await expect(b).toHaveURL(/\/login/);
  expect((await b.request.get("/v2/me")).status()).toBe(401);
  await close();
});

test("signing out everywhere ends an open change stream in another browser", async ({
  browser,
  api,
}) => {
  const password = "stream password 12";
  const domain = await createFreshDomain(api, [{ id: "svc-live", features: {} }]);
  const { a, b, close } = await personInTwoBrowsers(browser, api, {
    prefix: "stream",
    role: "viewer",
    password,
  });

  // Browser A follows the domain's change feed live.
  await a.goto(domain.console);
  await expect(a.getByRole("heading", { name: "Recent changes" })).toBeVisible();
  await expect(a.getByText("Live", { exact: true })).toBeVisible();
  // A change shows up while the stream is open (after the service's creation and the domain default).
  const log = a.getByRole("log", { name: "Recent changes" }).getByRole("listitem");
  await expect(log).toHaveCount(2);
  const renamed = await api.send("PATCH", `${domain.api}/service/svc-live`, { name: "Renamed" });
  expect(renamed.status).toBe(200);
  await expect(log).toHaveCount(3);

  // Browser B signs the person out everywhere: A's stream ends at its next heartbeat (15 s) and can't reconnect.
  await b.goto("/account");
  await b.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(b).toHaveURL(/\/login/);
  await expect(a.getByText("Not live: reload the page")).toBeVisible({ timeout: 25_000 });
  // Nothing written after that reaches A.
  const again = await api.send("PATCH", `${domain.api}/service/svc-live`, { name: "Again" });
  expect(again.status).toBe(200);
  await a.waitForTimeout(1_000);
  await expect(log).toHaveCount(3);
  await close();
});

test("changing one's password keeps this browser signed in and ends the other sessions", async ({
  browser,
  api,
}) => {
  const password = "old password 12345";
  const { email, a, b, close } = await personInTwoBrowsers(browser, api, {
    prefix: "passwd",
    role: "editor",
    password,
  });

  await a.goto("/account");
  await a.getByLabel("Current password").fill(password);
  await a.getByLabel("New password", { exact: true }).fill("too short");
  await a.getByLabel("New password again").fill("too short");
  await a.getByRole("button", { name: "Change password" }).click();
  await expect(a.getByText(/Passwords must be 12 to 72 bytes long/)).toBeVisible();

  await a.getByLabel("New password", { exact: true }).fill("new password 12345");
  await a.getByLabel("New password again").fill("new password 12345");
  await a.getByRole("button", { name: "Change password" }).click();
  await expect(a.getByText("Password changed")).toBeVisible();
  await a.goto("/clients");
  await expect(a).toHaveURL(/\/clients$/);

  await b.goto("/clients");
  await expect(b).toHaveURL(/\/login/);
  await b.getByLabel("Email").fill(email);
  await b.getByLabel("Password").fill(password);
  await b.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(b.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  await close();
});

test("the sign-in form says when an account is locked", async ({ page, api }) => {
  const email = `${uniqueId("locked")}@e2e.test`;
  const password = "locked password 12345";
  expect(
    (
      await api.send("POST", "/v2/users", {
        email,
        role: "viewer",
        password,
        must_change_password: false,
      })
    ).status,
  ).toBe(201);
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Password").fill(`wrong password ${i}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "Wrong email or password" }),
    ).toBeVisible();
  }
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "Too many failed attempts; try again in 15 minutes" }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});
