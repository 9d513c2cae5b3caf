import { expect, test } from "./fixtures";
import { E2E_USERS } from "./settings.mjs";

test("a person signs in with the form and lands on the clients page", async ({ page }) => {
  const admin = E2E_USERS.find((u) => u.role === "admin")!;
  await page.goto("/clients/client-1");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Wrong email or password" }),
  ).toBeVisible();
  await page.getByLabel("Password").fill(admin.password);
  await page.getByLabel("Password").press("Enter");
  await expect(page).toHaveURL(/\/clients\/client-1$/);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("signing out ends the session: console pages send the person back to sign in", async ({
  page,
}) => {
  const viewer = E2E_USERS.find((u) => u.role === "viewer")!;
  await page.goto("/login");
  await page.getByLabel("Email").fill(viewer.email);
  await page.getByLabel("Password").fill(viewer.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/clients");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fclients/);
  expect((await page.request.get("/v2/me")).status()).toBe(401);
});
