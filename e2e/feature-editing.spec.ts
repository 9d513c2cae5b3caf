// Issue 6: feature values are edited with inputs typed by the contracts that apply to the service. Text a number
// field can't read never saves and never removes the value (checked over REST after each try); an enum is chosen
// from its allowed values; removing a feature is its own explicit action.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signInAs, test, uniqueId, type Api } from "./fixtures";
import { createFreshDomain } from "./fresh-domain";

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) })),
  ).toEqual([]);
}

const featuresOf = async (api: Api, base: string, serviceId: string) =>
  (await api.get<{ provided_features: Record<string, unknown> }>(`${base}/service/${serviceId}`))
    .body.provided_features;

test("the inline editor: integers refuse unreadable text, enums offer their values, Remove is explicit", async ({
  page,
  api,
}) => {
  // The domain runs example-model@1.0.0: stops is an integer, mode an enum (bus, tram, train, ferry).
  const start = { route: "r-1", mode: "bus", stops: 12 };
  const domain = await createFreshDomain(api, [{ id: "line-t", features: start }]);
  await signInAs(page, "editor");
  await page.goto(domain.console);
  await page.getByRole("button", { name: "Edit features of line-t" }).click();
  const form = page.getByRole("form", { name: "Edit features of line-t" });
  await expect(form).toContainText("example-model@1.0.0");
  const stops = form.getByLabel("stops", { exact: true });
  await expect(stops).toHaveAttribute("inputmode", "numeric");

  for (const typed of ["ten", "5-", "--5", "2.5"]) {
    await stops.fill(typed);
    await stops.press("Enter");
    const error = form.getByRole("alert").filter({ hasText: /^stops must be a whole number/ });
    await expect(error).toBeVisible();
    await expect(stops).toHaveAttribute("aria-invalid", "true");
    await expect(stops).toBeFocused();
    await expect(form).toBeVisible();
    expect(await featuresOf(api, domain.api, "line-t")).toEqual(start);
  }
  await expectNoSeriousA11yViolations(page);

  // An emptied field doesn't remove the key either: it asks for a value or the Remove button.
  await stops.fill("");
  await form.getByRole("button", { name: "Save features" }).click();
  await expect(form.getByText("Enter a value for stops, or use Remove to delete it")).toBeVisible();
  expect(await featuresOf(api, domain.api, "line-t")).toEqual(start);

  // A value it can read is saved as a JSON integer.
  await stops.fill(" 14 ");
  // mode is chosen from the contract's list, not typed.
  const mode = form.getByLabel("mode", { exact: true });
  await expect(mode.locator("option")).toHaveText(["(none)", "bus", "tram", "train", "ferry"]);
  await mode.selectOption("tram");
  await form.getByRole("button", { name: "Save features" }).click();
  await expect(page.getByText("Saved the features of line-t")).toBeVisible();
  await expect(form).toHaveCount(0);
  expect(await featuresOf(api, domain.api, "line-t")).toEqual({
    route: "r-1",
    mode: "tram",
    stops: 14,
  });

  // Removing needs the explicit action, and can be undone before saving. The button is as wide as its text.
  await page.getByRole("button", { name: "Edit features of line-t" }).click();
  const removeBox = await form.getByRole("button", { name: "Remove stops" }).boundingBox();
  expect(removeBox!.width).toBeLessThan(120);
  await form.getByRole("button", { name: "Remove stops" }).click();
  await expect(form.getByText("Will be removed when you save.")).toBeVisible();
  await form.getByRole("button", { name: "Undo remove stops" }).click();
  await expect(stops).toHaveValue("14");
  await form.getByRole("button", { name: "Remove route" }).click();
  await form.getByRole("button", { name: "Save features" }).click();
  await expect(form).toHaveCount(0);
  expect(await featuresOf(api, domain.api, "line-t")).toEqual({ mode: "tram", stops: 14 });
});

test("a new feature whose value can't be read is reported, not dropped; a switch says true or false", async ({
  page,
  api,
}) => {
  const start = { route: "r-2", mode: "bus" };
  const domain = await createFreshDomain(api, [{ id: "line-n", features: start }]);
  await signInAs(page, "editor");
  // With example-model@2.0.0 chosen, its contract (night_service: boolean) types the inputs too.
  await page.goto(`${domain.console}?compatible_with=example-model%402.0.0`);
  await page.getByRole("button", { name: "Edit features of line-n" }).click();
  const form = page.getByRole("form", { name: "Edit features of line-n" });
  await expect(form).toContainText("the target example-model@2.0.0");

  const night = form.getByRole("switch", { name: "night_service" });
  await expect(night).not.toBeChecked();
  await expect(form.getByText("not set")).toBeVisible();
  await night.check();
  await expect(form.getByText("true", { exact: true })).toBeVisible();

  await form.getByRole("button", { name: "Add feature" }).click();
  const key = form.getByLabel(/^New feature \d+: key$/);
  await key.fill("capacity");
  await form.getByLabel(/^New feature \d+: type$/).selectOption("integer");
  await form.getByLabel(/^New feature \d+: value$/).fill("lots");
  await form.getByRole("button", { name: "Save features" }).click();
  await expect(
    form.getByText("capacity must be a whole number such as 12; “lots” is not one"),
  ).toBeVisible();
  await expect(page.getByText(/No changes to save/)).toHaveCount(0);
  expect(await featuresOf(api, domain.api, "line-n")).toEqual(start);
  await expectNoSeriousA11yViolations(page);

  await form.getByLabel(/^New feature \d+: value$/).fill("40");
  await form.getByRole("button", { name: "Save features" }).click();
  await expect(form).toHaveCount(0);
  expect(await featuresOf(api, domain.api, "line-n")).toEqual({
    ...start,
    night_service: true,
    capacity: 40,
  });
});

test("on the service page, the same typed inputs; a free-form key's type is chosen explicitly", async ({
  page,
  api,
}) => {
  const start = { mode: "bus", stops: 8, depot: "north" };
  const domain = await createFreshDomain(api, [{ id: "line-p", features: start }]);
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/services/line-p`);
  await page.getByRole("button", { name: "Edit features" }).click();
  const form = page.getByRole("form", { name: "Edit features of line-p" });
  const stops = form.getByLabel("stops", { exact: true });
  await stops.fill("5-");
  await stops.press("Enter");
  await expect(form.getByText(/^stops must be a whole number such as 12/)).toBeVisible();
  expect(await featuresOf(api, domain.api, "line-p")).toEqual(start);

  // depot is in no contract: its type is a choice, and a number typed as text is sent as text.
  await expect(form.getByLabel("Type of depot")).toHaveValue("string");
  await stops.fill("9");
  await form.getByLabel("depot", { exact: true }).fill("7");
  await form.getByLabel("Type of depot").selectOption("integer");
  await expectNoSeriousA11yViolations(page);
  await form.getByRole("button", { name: "Save features" }).click();
  await expect(form).toHaveCount(0);
  expect(await featuresOf(api, domain.api, "line-p")).toEqual({ mode: "bus", stops: 9, depot: 7 });
});

test("at 1440×900 the sticky bar jumps to the blocking services; the filter shows whole versions", async ({
  page,
  api,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const domain = await createFreshDomain(api, [
    { id: "line-j1", features: { mode: "bus" } },
    { id: "line-j2", features: { mode: "tram" } },
  ]);
  await signInAs(page, "editor");
  await page.goto(domain.console);
  const filter = page.getByLabel("Compatible with");
  await filter.selectOption("example-model@2.0.0");
  // The chosen value fits its select (nothing cut off).
  expect(await filter.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

  await page.goto(`${domain.console}/assignments/default`);
  await page.getByLabel("Version", { exact: true }).selectOption("2.0.0");
  const heading = page.getByRole("heading", { name: /^Blocking services/ });
  await expect(heading).toBeAttached();
  await page.getByRole("button", { name: "Go to the blocking services" }).click();
  await expect(heading).toBeFocused();
  await expect(heading).toBeInViewport();
  await expectNoSeriousA11yViolations(page);
});

test("a viewer on the new-key page is told they can't create keys (no empty key name)", async ({
  page,
}) => {
  await signInAs(page, "viewer");
  await page.goto("/clients/client-1/domains/south_australia/new-assignment");
  await expect(page.getByText("You can't create assignment keys")).toBeVisible();
  await expect(page.getByText(/No active revision: is not assigned/)).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});

test("the override form takes what the service lacks with the same typed inputs, and saves it with the override", async ({
  page,
  api,
}) => {
  // No domain default: the service's stops ("ten") breaks example-model@1.0.0's integer contract.
  const start = { mode: "bus", stops: "ten" };
  const domain = await createFreshDomain(api, [{ id: "line-o", features: start }], null);
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/services/line-o`);
  await page.getByRole("button", { name: "Override a key" }).click();
  const form = page.getByRole("form", { name: "Override for line-o" });
  await form.getByLabel("New key").fill("default");
  await form.getByLabel("Model").selectOption("example-model");
  await form.getByLabel("Version", { exact: true }).selectOption("1.0.0");
  const lacks = form.getByRole("group", {
    name: "Fill in what line-o lacks (saved with the override)",
  });
  const stops = lacks.getByLabel("stops", { exact: true });
  await expect(stops).toHaveAttribute("inputmode", "numeric");

  await stops.fill("5-");
  await expect(lacks.getByRole("alert")).toHaveText(
    "stops must be a whole number such as 12; “5-” is not one",
  );
  await form.getByRole("button", { name: "Save override" }).click();
  await expect(stops).toBeFocused();
  const effective = `${domain.api}/service/line-o/assignments/default/effective`;
  expect((await api.get(effective)).status).toBe(404);
  expect(await featuresOf(api, domain.api, "line-o")).toEqual(start);
  await expectNoSeriousA11yViolations(page);

  await stops.fill("5");
  await form.getByRole("button", { name: "Save override" }).click();
  await expect(form).toHaveCount(0);
  expect((await api.get<{ model_version: string }>(effective)).body.model_version).toBe("1.0.0");
  expect(await featuresOf(api, domain.api, "line-o")).toEqual({ mode: "bus", stops: 5 });
});

test("where the running contract and the target disagree on a type, the field says so", async ({
  page,
  api,
}) => {
  const modelId = uniqueId("e2e-clash");
  expect((await api.send("POST", "/v2/models", { model_id: modelId })).status).toBe(201);
  for (const [version, type] of [
    ["1.0.0", "integer"],
    ["2.0.0", "string"],
  ])
    expect(
      (
        await api.send("POST", `/v2/models/${modelId}/versions`, {
          version,
          features: [{ key: "code", type, required: false }],
        })
      ).status,
    ).toBe(201);
  const domain = await createFreshDomain(api, [{ id: "line-c", features: { code: 7 } }], {
    modelId,
    version: "1.0.0",
  });
  await signInAs(page, "editor");
  await page.goto(`${domain.console}?compatible_with=${encodeURIComponent(`${modelId}@2.0.0`)}`);
  await page.getByRole("button", { name: "Edit features of line-c" }).click();
  const form = page.getByRole("form", { name: "Edit features of line-c" });
  const code = form.getByLabel("code", { exact: true });
  await expect(code).toHaveAccessibleDescription(
    new RegExp(
      `Contracts disagree: ${modelId}@2\\.0\\.0 wants string; ${modelId}@1\\.0\\.0 wants integer\\. This input follows ${modelId}@2\\.0\\.0\\.`,
    ),
  );
  await expectNoSeriousA11yViolations(page);
});
