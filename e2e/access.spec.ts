// Journey 8: admins manage people (roles, generated passwords shown once) and machine tokens (shown once,
// revocable); everyone else is kept out.
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { legacyToken } from "../tests/helpers/legacy-token";
import { expect, signInAs, test, uniqueId } from "./fixtures";
import { E2E_AUTH_SECRET } from "./settings.mjs";

test.describe("access", () => {
  test("an admin adds a viewer with a generated password; the viewer signs in and can't reach Access", async ({
    page,
    browser,
    baseURL,
  }) => {
    await signInAs(page, "admin");
    await page.goto("/access");
    await expect(page.getByRole("heading", { level: 1, name: "Access" })).toBeVisible();
    await expect(
      page
        .getByRole("table", { name: "People" })
        .getByRole("row")
        .filter({ hasText: "admin@e2e.test" }),
    ).toContainText("you");
    const axe = await new AxeBuilder({ page }).analyze();
    expect(
      axe.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.help}`),
    ).toEqual([]);

    const email = `${uniqueId("viewer")}@e2e.test`;
    await page.getByRole("button", { name: "Add person" }).click();
    const form = page.getByRole("dialog", { name: "Add a person" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Name (optional)").fill("Vic Viewer");
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Add person" }).click();

    const shown = page.getByRole("dialog", { name: `Password for ${email}` });
    await expect(shown.getByText("Shown only this once")).toBeVisible();
    const password = await shown.getByLabel("Generated password").inputValue();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await shown.getByRole("button", { name: "Done" }).click();
    await expect(shown).toBeHidden();
    // Once closed, the password is gone from the page.
    await expect(page.getByText(password)).toHaveCount(0);

    const row = page
      .getByRole("table", { name: "People" })
      .getByRole("row")
      .filter({ hasText: email });
    await expect(row.getByLabel(`Role of ${email}`)).toHaveValue("viewer");
    await expect(row.getByText("Active")).toBeVisible();

    // Adding the same email again: the server's 409, next to the email field.
    await page.getByRole("button", { name: "Add person" }).click();
    await form.getByLabel("Email").fill(email);
    await form.getByRole("button", { name: "Add person" }).click();
    await expect(form.getByRole("alert").filter({ hasText: "already exists" })).toBeVisible();
    await form.getByRole("button", { name: "Cancel" }).click();

    // The new viewer signs in through the form in a browser of their own.
    const context = await browser.newContext({ baseURL });
    try {
      const theirs = await context.newPage();
      await theirs.goto("/login");
      await theirs.getByLabel("Email").fill(email);
      await theirs.getByLabel("Password").fill(password);
      await theirs.getByLabel("Password").press("Enter");
      await expect(theirs.getByRole("button", { name: "Sign out" })).toBeVisible();
      // The admin knows that password: the viewer chooses their own before anything else.
      await expect(
        theirs.getByRole("heading", { name: "Choose your own password first" }),
      ).toBeVisible();
      await theirs.getByRole("link", { name: "Go to My account to change it" }).click();
      await theirs.getByLabel("Current password").fill(password);
      await theirs.getByLabel("New password", { exact: true }).fill("vic's own password 1");
      await theirs.getByLabel("New password again").fill("vic's own password 1");
      await theirs.getByRole("button", { name: "Change password" }).click();
      await expect(theirs.getByText("Choose your own password to go on.")).toHaveCount(0);
      await theirs.goto("/clients");
      await expect(
        theirs.getByRole("heading", { name: "Choose your own password first" }),
      ).toHaveCount(0);
      await expect(
        theirs.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access" }),
      ).toHaveCount(0);
      await theirs.goto("/access");
      await expect(theirs.getByText("You need the admin role")).toBeVisible();
      await expect(theirs.getByRole("table", { name: "People" })).toHaveCount(0);
    } finally {
      await context.close();
    }
  });

  test("disabling a person lists the tokens they made: handed over they keep working, else they are revoked", async ({
    page,
    browser,
    baseURL,
    api,
  }) => {
    // Two editors-turned-admins, each of whom made a token while signed in.
    const made: { email: string; token: string; name: string }[] = [];
    for (const who of ["leaver", "mover"]) {
      const email = `${uniqueId(who)}@e2e.test`;
      const password = `${who} password 123`;
      expect(
        (
          await api.send("POST", "/v2/users", {
            email,
            role: "admin",
            password,
            must_change_password: false,
          })
        ).status,
      ).toBe(201);
      const context = await browser.newContext({ baseURL });
      const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as {
        csrfToken: string;
      };
      await context.request.post("/api/auth/callback/credentials", {
        form: { csrfToken, email, password, json: "true" },
      });
      const name = uniqueId(`${who}-bot`);
      const res = await context.request.post("/v2/tokens", {
        headers: { origin: baseURL! },
        data: { name, scopes: ["assignments:read"], clients: "*" },
      });
      expect(res.status(), await res.text()).toBe(201);
      made.push({ email, name, token: ((await res.json()) as { token: string }).token });
      await context.close();
    }
    const works = async (token: string) =>
      (
        await page.request.get("/v2/me", { headers: { authorization: `Bearer ${token}` } })
      ).status();

    await signInAs(page, "admin");
    await page.goto("/access");
    const disable = async (email: string) => {
      await page.getByRole("button", { name: `Disable ${email}` }).click();
      return page.getByRole("dialog", { name: `Disable ${email}?` });
    };

    // The leaver's token is revoked with them (the default).
    const [leaver, mover] = made as [(typeof made)[0], (typeof made)[0]];
    let dialog = await disable(leaver.email);
    await expect(dialog.getByRole("list", { name: `Tokens of ${leaver.email}` })).toContainText(
      leaver.name,
    );
    await expect(dialog.getByLabel("Their tokens")).toHaveValue("");
    await dialog.getByRole("button", { name: "Disable" }).click();
    await expect(dialog).toBeHidden();
    expect(await works(leaver.token)).toBe(401);

    // The mover's token goes to the admin signed in here, and keeps working.
    dialog = await disable(mover.email);
    await expect(dialog.getByRole("list", { name: `Tokens of ${mover.email}` })).toContainText(
      mover.name,
    );
    await dialog.getByLabel("Their tokens").selectOption({ label: "Hand over to admin@e2e.test" });
    await dialog.getByRole("button", { name: "Disable" }).click();
    await expect(dialog).toBeHidden();
    expect(await works(mover.token)).toBe(200);
    const tokens = page.getByRole("table", { name: "API tokens" });
    await expect(tokens.getByRole("row").filter({ hasText: leaver.name })).toContainText("Revoked");
    await expect(tokens.getByRole("row").filter({ hasText: mover.name })).not.toContainText(
      "Revoked",
    );
  });

  test("an admin creates a token for client-1, the machine uses it, and revoking it locks the machine out", async ({
    page,
    context,
    playwright,
    baseURL,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signInAs(page, "admin");
    await page.goto("/access");
    const name = uniqueId("batch");
    await page.getByRole("button", { name: "Create token" }).click();
    const form = page.getByRole("dialog", { name: "Create an API token" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("assignments:read", { exact: true }).check();
    await form.getByLabel("client-1", { exact: true }).check();
    await form.getByLabel("Expires after").selectOption({ label: "7 days" });
    await form.getByRole("button", { name: "Create token" }).click();

    const shown = page.getByRole("dialog", { name: `Token "${name}" created` });
    await expect(shown.getByText("Shown only this once")).toBeVisible();
    await shown.getByRole("button", { name: "Copy token" }).click();
    await expect(shown.getByText("Copied to the clipboard")).toBeVisible();
    const jwt = await page.evaluate(() => navigator.clipboard.readText());
    expect(jwt).toBe(await shown.getByLabel("API token").inputValue());
    expect(jwt.split(".")).toHaveLength(3);
    await shown.getByRole("button", { name: "Done" }).click();

    const row = page
      .getByRole("table", { name: "API tokens" })
      .getByRole("row")
      .filter({ hasText: name });
    await expect(row).toContainText("assignments:read");
    await expect(row).toContainText("client-1");
    await expect(row.getByText("Active")).toBeVisible();
    await expect(row.getByText("Never used")).toBeVisible();
    await expect(row.getByText("Never expires")).toHaveCount(0);

    const machine = await playwright.request.newContext({ baseURL });
    try {
      const call = (clientId: string) =>
        machine.get(`/v2/clients/${clientId}/domains`, {
          headers: { authorization: `Bearer ${jwt}` },
        });
      expect((await call("client-1")).status()).toBe(200);
      expect((await call("client-2")).status()).toBe(403);

      // The list shows when the token was last used.
      await page.reload();
      await expect(row.getByText("Never used")).toHaveCount(0);
      await expect(row.getByText("Active")).toBeVisible();

      await row.getByRole("button", { name: `Revoke token ${name}` }).click();
      const confirm = page.getByRole("dialog", { name: `Revoke token "${name}"?` });
      await confirm.getByRole("button", { name: "Revoke token", exact: true }).click();
      await expect(confirm).toBeHidden();
      await expect(row.getByText("Revoked")).toBeVisible();
      await expect(row.getByRole("button", { name: `Revoke token ${name}` })).toHaveCount(0);

      expect((await call("client-1")).status()).toBe(401);
    } finally {
      await machine.dispose();
    }
  });

  test("an admin adopts a token minted before 0.2.0: refused until then, it works once adopted, and revoking it ends it", async ({
    page,
    playwright,
    baseURL,
  }) => {
    const sub = uniqueId("legacy-deployer");
    const legacy = await legacyToken({
      sub,
      scopes: ["assignments:read"],
      clients: ["client-1"],
      secret: E2E_AUTH_SECRET,
    });
    const machine = await playwright.request.newContext({ baseURL });
    try {
      const call = () =>
        machine.get("/v2/clients/client-1/domains", {
          headers: { authorization: `Bearer ${legacy.jwt}` },
        });
      const refused = await call();
      expect(refused.status()).toBe(401);
      expect(((await refused.json()) as { message: string }).message).toContain(
        "Adopt token on the console's Access page",
      );

      await signInAs(page, "admin");
      await page.goto("/access");
      // The footer says which version runs: package.json's.
      const { version } = JSON.parse(
        fs.readFileSync(path.resolve(import.meta.dirname, "../package.json"), "utf8"),
      ) as { version: string };
      await expect(page.getByRole("contentinfo").getByTestId("app-version")).toHaveText(version);

      await page.getByRole("button", { name: "Adopt token" }).click();
      const form = page.getByRole("dialog", { name: "Adopt a token minted before 0.2.0" });
      await form.getByLabel("Token").fill(legacy.jwt);
      await form.getByLabel("Name (optional)").fill(`${sub} (legacy)`);
      await form.getByLabel("Keeps working for").selectOption({ label: "7 days" });
      const axe = await new AxeBuilder({ page }).include('[role="dialog"]').analyze();
      expect(
        axe.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id}: ${v.help}`),
      ).toEqual([]);
      await form.getByRole("button", { name: "Adopt token" }).click();
      await expect(form).toBeHidden();
      await expect(page.getByText(`Adopted token ${sub} (legacy)`)).toBeVisible();

      const row = page
        .getByRole("table", { name: "API tokens" })
        .getByRole("row")
        .filter({ hasText: `${sub} (legacy)` });
      await expect(row).toContainText("adopted");
      await expect(row.getByText("Active")).toBeVisible();
      expect((await call()).status()).toBe(200);

      // The same token again: the server's 409, in the dialog.
      await page.getByRole("button", { name: "Adopt token" }).click();
      await form.getByLabel("Token").fill(legacy.jwt);
      await form.getByRole("button", { name: "Adopt token" }).click();
      await expect(form.getByRole("alert").filter({ hasText: "already recorded" })).toBeVisible();
      await form.getByRole("button", { name: "Cancel" }).click();

      await row.getByRole("button", { name: `Revoke token ${sub} (legacy)` }).click();
      const confirm = page.getByRole("dialog", { name: `Revoke token "${sub} (legacy)"?` });
      await confirm.getByRole("button", { name: "Revoke token", exact: true }).click();
      await expect(row.getByText("Revoked")).toBeVisible();
      expect((await call()).status()).toBe(401);
    } finally {
      await machine.dispose();
    }
  });

  test("a token without expiry must be asked for, and the list says it never expires", async ({
    page,
  }) => {
    await signInAs(page, "admin");
    await page.goto("/access");
    const name = uniqueId("forever");
    await page.getByRole("button", { name: "Create token" }).click();
    const form = page.getByRole("dialog", { name: "Create an API token" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("models:read", { exact: true }).check();
    await form.getByLabel("client-1", { exact: true }).check();
    // 90 days unless asked otherwise.
    await expect(form.getByLabel("Expires after")).toHaveValue(String(90 * 24 * 3600));
    await form.getByLabel("Expires after").selectOption({ label: "Never (until revoked)" });
    await form.getByRole("button", { name: "Create token" }).click();
    await page
      .getByRole("dialog", { name: `Token "${name}" created` })
      .getByRole("button", { name: "Done" })
      .click();
    const row = page
      .getByRole("table", { name: "API tokens" })
      .getByRole("row")
      .filter({ hasText: name });
    await expect(row.getByText("Never expires")).toBeVisible();
  });

  test("an editor sees no Access link and is told /access needs the admin role", async ({
    page,
  }) => {
    await signInAs(page, "editor");
    await page.goto("/models");
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Model registry" }),
    ).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access" }),
    ).toHaveCount(0);
    await page.goto("/access");
    await expect(page.getByText("You need the admin role")).toBeVisible();
    await expect(page.getByRole("button", { name: "Create token" })).toHaveCount(0);
  });
});
