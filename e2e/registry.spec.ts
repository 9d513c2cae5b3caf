// Journey 7: browse the model registry, compare contracts, register models and versions through the forms.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signInAs, test, uniqueId } from "./fixtures";

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

test.describe("model registry", () => {
  test("browse example-model: 2.0.0 requires route, and compared with 1.0.0 that is a breaking addition", async ({
    page,
  }) => {
    await signInAs(page, "viewer");
    await page.goto("/models");
    await expect(page.getByRole("heading", { level: 1, name: "Model registry" })).toBeVisible();
    const models = page.getByRole("table", { name: "Models" });
    await expect(models.getByRole("row").filter({ hasText: "example-model" })).toContainText(
      "2.0.0",
    );
    // Viewers read the registry but can't write to it.
    await expect(page.getByRole("button", { name: "Register model" })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page);

    await models.getByRole("link", { name: "example-model", exact: true }).click();
    await expect(page).toHaveURL(/\/models\/example-model$/);
    await expect(
      page
        .getByRole("navigation", { name: "Breadcrumb" })
        .getByRole("link", { name: "Model registry" }),
    ).toBeVisible();
    const versions = page.getByRole("table", { name: "Versions" });
    await versions.getByRole("link", { name: "2.0.0", exact: true }).click();

    await expect(page).toHaveURL(/\/models\/example-model\/versions\/2\.0\.0$/);
    await expect(page).toHaveTitle(/example-model 2\.0\.0/);
    const contract = page.getByRole("table", { name: "Feature contract" });
    const route = contract
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: "route", exact: true }) });
    await expect(route.getByRole("cell", { name: /^Required/ })).toBeVisible();
    await expect(route).toContainText("services must provide it");
    const stops = contract
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: "stops", exact: true }) });
    await expect(stops.getByRole("cell", { name: "Optional" })).toBeVisible();

    await page.getByLabel("Compare with").selectOption("1.0.0");
    await expect(page).toHaveURL(/\?from=1\.0\.0$/);
    const changes = page.getByRole("list", { name: "Changes from 1.0.0 to 2.0.0" });
    const routeChange = changes
      .getByRole("listitem")
      .filter({ has: page.getByText("route", { exact: true }) });
    await expect(routeChange).toContainText("Added");
    await expect(routeChange).toContainText("breaking");
    await expect(routeChange).toContainText("added as required with no default");
    await expect(
      changes
        .getByRole("listitem")
        .filter({ has: page.getByText("night_service", { exact: true }) }),
    ).toContainText("compatible");

    // The comparison is in the URL: a reload shows it again.
    await page.reload();
    await expect(page.getByLabel("Compare with")).toHaveValue("1.0.0");
    await expect(
      changes.getByRole("listitem").filter({ has: page.getByText("route", { exact: true }) }),
    ).toContainText("breaking");
    await expectNoSeriousA11yViolations(page);
  });

  test("register a model, then a version with two features, through the forms", async ({
    page,
    api,
  }) => {
    const modelId = uniqueId("e2e-model");
    await signInAs(page, "admin");
    await page.goto("/models");
    await page.getByRole("button", { name: "Register model" }).click();
    const dialog = page.getByRole("dialog", { name: "Register a model" });
    await dialog.getByLabel("Model id").fill(modelId);
    await dialog.getByLabel("Name (optional)").fill("E2E demand model");
    await dialog.getByLabel("Name (optional)").press("Enter");
    await expect(page).toHaveURL(new RegExp(`/models/${modelId}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText("E2E demand model");
    await expect(page.getByText("No versions yet")).toBeVisible();

    await page.getByRole("button", { name: "Register version" }).click();
    const form = page.getByRole("form", { name: "Register a version" });
    await form.getByLabel("Version", { exact: true }).fill("1.0.0");
    await form.getByLabel("Description (optional)").fill("First contract");
    await form.getByLabel("Feature 1 key").fill("region");
    await form.getByLabel("Feature 1 type").selectOption("enum");
    await form.getByLabel("Feature 1 required").check();
    await form.getByLabel("Feature 1 allowed values").fill("north, south");
    await form.getByLabel("Feature 1 default").selectOption("north");
    await form.getByLabel("Feature 1 description").fill("Which region the service covers");
    await form.getByRole("button", { name: "Add feature" }).click();
    await expect(form.getByLabel("Feature 2 key")).toBeFocused();
    await form.getByLabel("Feature 2 key").fill("horizon_days");
    await form.getByLabel("Feature 2 type").selectOption("integer");
    await form.getByLabel("Feature 2 default").fill("7");
    await form.getByRole("button", { name: "Register version" }).click();

    await expect(page).toHaveURL(new RegExp(`/models/${modelId}/versions/1\\.0\\.0$`));
    await expect(
      page.getByRole("table", { name: "Feature contract" }).getByRole("row"),
    ).toHaveCount(3);

    const saved = await api.get<{ features: unknown[]; description: string; created_by: string }>(
      `/v2/models/${modelId}/versions/1.0.0`,
    );
    expect(saved.status).toBe(200);
    expect(saved.body.description).toBe("First contract");
    expect(saved.body.created_by).toBe("user:admin@e2e.test");
    expect(saved.body.features).toEqual([
      {
        key: "region",
        type: "enum",
        required: true,
        default: "north",
        allowed_values: ["north", "south"],
        description: "Which region the service covers",
      },
      { key: "horizon_days", type: "integer", required: false, default: 7 },
    ]);
    const model = await api.get<{ name: string; versions: string[] }>(`/v2/models/${modelId}`);
    expect(model.body).toMatchObject({ name: "E2E demand model", versions: ["1.0.0"] });

    // Registering the same model id again: the server's 409, next to the field.
    await page.goto("/models");
    await page.getByRole("button", { name: "Register model" }).click();
    await page.getByLabel("Model id").fill(modelId);
    await page
      .getByRole("dialog", { name: "Register a model" })
      .getByRole("button", { name: "Register model" })
      .click();
    await expect(
      page.getByRole("alert").filter({ hasText: `Model "${modelId}" already exists` }),
    ).toBeVisible();
  });

  test("a version with an enum without values is refused, in the server's words", async ({
    page,
    api,
  }) => {
    const modelId = uniqueId("e2e-bad");
    expect((await api.send("POST", "/v2/models", { model_id: modelId })).status).toBe(201);
    // What the server says about this contract (a dry run writes nothing), to find in the page.
    const features = [{ key: "mode", type: "enum", required: false, allowed_values: [] }];
    const refused = await api.send<{ message: string; issues: { message: string }[] }>(
      "POST",
      `/v2/models/${modelId}/versions?dry_run=true`,
      { version: "1.0.0", features },
    );
    expect(refused.status).toBe(422);

    await signInAs(page, "admin");
    await page.goto(`/models/${modelId}`);
    await page.getByRole("button", { name: "Register version" }).click();
    const form = page.getByRole("form", { name: "Register a version" });
    await form.getByLabel("Version", { exact: true }).fill("1.0.0");
    await form.getByLabel("Feature 1 key").fill("mode");
    await form.getByLabel("Feature 1 type").selectOption("enum");
    await form.getByRole("button", { name: "Register version" }).click();

    await expect(
      page.getByRole("alert").filter({ hasText: "The server refused these feature definitions" }),
    ).toBeVisible();
    await expect(form.getByText(refused.body.issues[0]!.message, { exact: true })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/models/${modelId}$`));
    expect((await api.get(`/v2/models/${modelId}/versions/1.0.0`)).status).toBe(404);

    // Fixing the row and submitting again registers it.
    await form.getByLabel("Feature 1 allowed values").fill("bus, tram");
    await form.getByRole("button", { name: "Register version" }).click();
    await expect(page).toHaveURL(new RegExp(`/models/${modelId}/versions/1\\.0\\.0$`));
  });

  test("descriptions render their Markdown safely: code and emphasis, no raw HTML, no script links", async ({
    page,
    api,
  }) => {
    const modelId = uniqueId("e2e-md");
    const pasted =
      'Per-route patterns; needs `route` and *care*. <img src="x" onerror="window.__pwned = 1"> [docs](javascript:window.__pwned=2)';
    expect(
      (await api.send("POST", "/v2/models", { model_id: modelId, description: "Uses `mode`" }))
        .status,
    ).toBe(201);
    const created = await api.send("POST", `/v2/models/${modelId}/versions`, {
      version: "1.0.0",
      description: pasted,
      features: [
        { key: "route", type: "string", required: true, description: "The `route` it runs" },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    await signInAs(page, "viewer");
    await page.goto(`/models/${modelId}/versions/1.0.0`);
    const header = page.locator("main");
    await expect(header.locator("code", { hasText: /^route$/ }).first()).toBeVisible();
    await expect(header.locator("em", { hasText: "care" })).toBeVisible();
    await expect(header).not.toContainText("`route`");
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    // The link keeps its words but not its script.
    const link = page.getByRole("link", { name: "docs", exact: true });
    await expect(link).toHaveCount(1);
    expect(await link.getAttribute("href")).not.toMatch(/javascript:/i);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    // The feature's description too, and the model's on its page.
    await expect(page.getByRole("cell", { name: "The route it runs" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await page.goto(`/models/${modelId}`);
    await expect(page.locator("main code", { hasText: /^mode$/ }).first()).toBeVisible();
    await expect(page.locator("main")).not.toContainText("`mode`");
    await expectNoSeriousA11yViolations(page);
  });
});
