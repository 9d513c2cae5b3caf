// Journey 4 and big domains: a fresh domain of 120 services, paged by the server 50 at a time, searched and
// filtered through the URL, and edited in place (Enter saves, Esc cancels), checked against the API.
import AxeBuilder from "@axe-core/playwright";
import { expect, signInAs, test, uniqueId, type Api } from "./fixtures";
import type { Page } from "@playwright/test";

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(
    serious.map((v) => ({
      rule: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    })),
  ).toEqual([]);
}

const id = (i: number) => `s-${String(i).padStart(3, "0")}`;
// Every third service lacks `route`, which example-model@2.0.0 requires: 40 of 120 are not compatible with it.
const features = (i: number) => (i % 3 === 0 ? { mode: "bus" } : { route: `r-${i}`, mode: "bus" });

async function createDomainWith120Services(api: Api): Promise<string> {
  const domainId = uniqueId("big");
  const created = await api.send("POST", "/v2/clients/client-1/domains", {
    domain_id: domainId,
    name: `Big ${domainId}`,
  });
  expect(created.status).toBe(201);
  for (let start = 0; start < 120; start += 12) {
    const batch = Array.from({ length: 12 }, (_, k) => start + k);
    const results = await Promise.all(
      batch.map((i) =>
        api.send("POST", `/v2/clients/client-1/domains/${domainId}/services`, {
          service_id: id(i),
          name: `Service ${String(i).padStart(3, "0")}`,
          provided_features: features(i),
        }),
      ),
    );
    for (const r of results) expect(r.status).toBe(201);
  }
  return domainId;
}

const serviceLinks = (page: Page) =>
  page.getByRole("table", { name: "Services" }).getByRole("link", { name: /^s-\d{3}$/ });

test("120 services: server-side pages, search and filters in the URL, inline edit with Enter and Esc", async ({
  page,
  api,
}) => {
  test.setTimeout(120_000);
  const domainId = await createDomainWith120Services(api);
  await signInAs(page, "editor");
  await page.goto(`/clients/client-1/domains/${domainId}`);
  await expect(page.getByRole("heading", { level: 1, name: `Big ${domainId}` })).toBeVisible();

  // Pages of 50, by cursor.
  const pager = page.getByRole("navigation", { name: "Services pages" });
  await expect(serviceLinks(page)).toHaveCount(50);
  await expect(serviceLinks(page).first()).toHaveText("s-000");
  await expect(pager).toContainText("Page 1 · services 1–50");
  await pager.getByRole("button", { name: "Next page" }).click();
  await expect(pager).toContainText("Page 2 · services 51–100");
  await expect(serviceLinks(page).first()).toHaveText("s-050");
  await expect(page).toHaveURL(/cursor=/);
  await page.reload();
  await expect(pager).toContainText("Page 2 · services 51–100");
  await expect(serviceLinks(page).first()).toHaveText("s-050");
  await pager.getByRole("button", { name: "Next page" }).click();
  await expect(pager).toContainText("Page 3 · services 101–120 · last page");
  await expect(serviceLinks(page)).toHaveCount(20);
  await expect(pager.getByRole("button", { name: "Next page" })).toHaveAttribute(
    "aria-disabled",
    "true",
  );
  await pager.getByRole("button", { name: "Previous page" }).click();
  await expect(serviceLinks(page).first()).toHaveText("s-050");
  await pager.getByRole("button", { name: "Previous page" }).click();
  await expect(pager).toContainText("Page 1 · services 1–50");
  await expect(serviceLinks(page).first()).toHaveText("s-000");
  await expectNoSeriousA11yViolations(page);

  // Search by id (debounced, in the URL), from the first page.
  await pager.getByRole("button", { name: "Next page" }).click();
  await expect(pager).toContainText("Page 2");
  await page.getByLabel("Search", { exact: true }).fill("s-11");
  await expect(page).toHaveURL(/q=s-11/);
  await expect(page).not.toHaveURL(/cursor=/);
  await expect(serviceLinks(page)).toHaveCount(10);
  await expect(pager).toContainText("Page 1 · services 1–10 · last page");
  await page.getByLabel("Search", { exact: true }).fill("");
  await expect(serviceLinks(page)).toHaveCount(50);

  // A feature value filter.
  await page.getByLabel("Feature value").fill("route=r-5");
  await expect(page).toHaveURL(/feature=route%3Dr-5/);
  await expect(serviceLinks(page)).toHaveCount(1);
  await expect(serviceLinks(page).first()).toHaveText("s-005");
  await page.getByLabel("Feature value").fill("");
  await expect(serviceLinks(page)).toHaveCount(50);

  // Compatibility with example-model@2.0.0: the 40 without a route are not compatible, and say why.
  await page.getByLabel("Compatible with").selectOption("example-model@2.0.0");
  await page.getByLabel("Fit").selectOption("false");
  await expect(page).toHaveURL(/compatible_with=example-model%402\.0\.0/);
  await expect(page).toHaveURL(/compatible=false/);
  await expect(serviceLinks(page)).toHaveCount(40);
  const table = page.getByRole("table", { name: "Services" });
  await expect(
    table.getByRole("columnheader", { name: "Fit to example-model@2.0.0" }),
  ).toBeVisible();
  await expect(table.getByRole("row", { name: /^s-000 / })).toContainText("Not compatible");
  await expect(table.getByRole("row", { name: /^s-000 / })).toContainText("Missing route");
  await page.reload();
  await expect(page.getByLabel("Compatible with")).toHaveValue("example-model@2.0.0");
  await expect(page.getByLabel("Fit")).toHaveValue("false");
  await expect(serviceLinks(page)).toHaveCount(40);
  await expectNoSeriousA11yViolations(page);

  // Fix one in place with the version's contract: it leaves the "not compatible" list.
  await page.getByRole("button", { name: "Edit features of s-000" }).click();
  const fixForm = page.getByRole("form", { name: "Edit features of s-000" });
  await expect(fixForm.getByLabel("route", { exact: true })).toBeFocused();
  await fixForm.getByLabel("route", { exact: true }).fill("r-0");
  await fixForm.getByLabel("route", { exact: true }).press("Enter");
  await expect(page.getByText("Saved the features of s-000")).toBeVisible();
  await expect(fixForm).toHaveCount(0);
  await expect(serviceLinks(page)).toHaveCount(39);
  // Keyboard flow: focus moves on to the next service still to fix.
  await expect(page.getByRole("button", { name: "Edit features of s-003" })).toBeFocused();
  expect(
    (
      await api.get<{ provided_features: Record<string, unknown> }>(
        `/v2/clients/client-1/domains/${domainId}/service/s-000`,
      )
    ).body.provided_features,
  ).toEqual({
    route: "r-0",
    mode: "bus",
  });

  // Without a version chosen, inputs follow the values' types. Enter saves…
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(serviceLinks(page)).toHaveCount(50);
  const editButton = page.getByRole("button", { name: "Edit features of s-001" });
  await editButton.click();
  const form = page.getByRole("form", { name: "Edit features of s-001" });
  await form.getByLabel("route", { exact: true }).fill("route-new");
  await form.getByLabel("route", { exact: true }).press("Enter");
  await expect(page.getByText("Saved the features of s-001")).toBeVisible();
  await expect(form).toHaveCount(0);
  await expect(table.getByRole("row", { name: /^s-001 / })).toContainText("route: route-new");
  const afterSave = await api.get<{ provided_features: Record<string, unknown> }>(
    `/v2/clients/client-1/domains/${domainId}/service/s-001`,
  );
  expect(afterSave.body.provided_features.route).toBe("route-new");

  // …Esc cancels, restores focus to the edit button, and changes nothing.
  await editButton.click();
  await form.getByLabel("route", { exact: true }).fill("should-not-be-saved");
  await form.getByLabel("route", { exact: true }).press("Escape");
  await expect(form).toHaveCount(0);
  await expect(editButton).toBeFocused();
  await expect(table.getByRole("row", { name: /^s-001 / })).toContainText("route: route-new");
  const afterCancel = await api.get<{ provided_features: Record<string, unknown> }>(
    `/v2/clients/client-1/domains/${domainId}/service/s-001`,
  );
  expect(afterCancel.body.provided_features.route).toBe("route-new");

  // Add a typed feature and remove another in one save.
  await editButton.click();
  await form.getByRole("button", { name: "Add feature" }).click();
  await form.getByLabel("New feature 3: key").fill("stops");
  await form.getByLabel("New feature 3: type").selectOption("integer");
  await form.getByLabel("New feature 3: value").fill("7");
  await form.getByRole("button", { name: "Remove mode" }).click();
  await form.getByLabel("New feature 3: value").press("Enter");
  await expect(form).toHaveCount(0);
  const afterAdd = await api.get<{ provided_features: Record<string, unknown> }>(
    `/v2/clients/client-1/domains/${domainId}/service/s-001`,
  );
  expect(afterAdd.body.provided_features).toEqual({ route: "route-new", stops: 7 });
});

test("the server's refusal of a feature edit shows next to the inputs, in its words", async ({
  page,
  api,
}) => {
  const domainId = uniqueId("refuse");
  expect(
    (
      await api.send("POST", "/v2/clients/client-1/domains", {
        domain_id: domainId,
        name: domainId,
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await api.send("POST", `/v2/clients/client-1/domains/${domainId}/services`, {
        service_id: "svc-x",
        provided_features: { route: "route-x" },
      })
    ).status,
  ).toBe(201);
  // The domain runs example-model@2.0.0, which requires `route`: removing it would break the service.
  expect(
    (
      await api.send("PUT", `/v2/clients/client-1/domains/${domainId}/assignments/default`, {
        model_id: "example-model",
        model_version: "2.0.0",
      })
    ).status,
  ).toBe(200);

  await signInAs(page, "admin");
  await page.goto(`/clients/client-1/domains/${domainId}`);
  await page.getByRole("button", { name: "Edit features of svc-x" }).click();
  const form = page.getByRole("form", { name: "Edit features of svc-x" });
  await form.getByRole("button", { name: "Remove route" }).click();
  await form.getByRole("button", { name: "Save features" }).click();
  await expect(form.getByRole("alert").first()).toContainText("Feature contract mismatch");
  await expect(form.getByText("route: missing")).toBeVisible();
  const unchanged = await api.get<{ provided_features: Record<string, unknown> }>(
    `/v2/clients/client-1/domains/${domainId}/service/svc-x`,
  );
  expect(unchanged.body.provided_features).toEqual({ route: "route-x" });
});
