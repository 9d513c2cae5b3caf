// Journey 2, "find the place": client → domain → service by clicking, breadcrumbs back up, deep links and
// reloads keep the place (search params too); a viewer sees no edit controls. Each page passes axe.
import AxeBuilder from "@axe-core/playwright";
import { expect, signInAs, test } from "./fixtures";
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

test("an admin goes client → domain → service by clicking, and breadcrumbs and reload keep the place", async ({
  page,
}) => {
  await signInAs(page, "admin");
  await page.goto("/clients");
  await expect(page).toHaveTitle(/^Clients/);
  await expect(page.getByRole("heading", { level: 1, name: "Clients" })).toBeVisible();
  await expect(page.getByRole("link", { name: "client-1", exact: true })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByRole("link", { name: "client-1", exact: true }).click();
  await expect(page).toHaveURL(/\/clients\/client-1$/);
  await expect(page.getByRole("heading", { level: 1, name: "Client One (demo)" })).toBeVisible();
  const domains = page.getByRole("table", { name: "Domains" });
  await expect(domains.getByRole("row", { name: /victoria/ })).toContainText("Inactive");
  await expectNoSeriousA11yViolations(page);

  await domains.getByRole("link", { name: "south_australia" }).click();
  await expect(page).toHaveURL(/\/clients\/client-1\/domains\/south_australia$/);
  await expect(page.getByRole("heading", { level: 1, name: "South Australia" })).toBeVisible();
  await expect(page).toHaveTitle(/south_australia/);
  const keys = page.getByRole("table", { name: "Assignment keys" });
  await expect(keys.getByRole("row", { name: /^default / })).toContainText("example-model@1.0.0");
  await expect(keys.getByRole("link", { name: "History of key default" })).toBeVisible();

  // Search goes into the URL, and survives a reload.
  const services = page.getByRole("table", { name: "Services" });
  await page.getByLabel("Search", { exact: true }).fill("tram");
  await expect(page).toHaveURL(/[?&]q=tram/);
  await expect(services.getByRole("link", { name: /^svc-/ })).toHaveCount(1);
  await page.getByLabel("Status").selectOption("all");
  await expect(page).toHaveURL(/status=all/);
  await page.reload();
  await expect(page.getByLabel("Search", { exact: true })).toHaveValue("tram");
  await expect(page.getByLabel("Status")).toHaveValue("all");
  await expect(services.getByRole("link", { name: /^svc-/ })).toHaveCount(1);
  await expectNoSeriousA11yViolations(page);

  await services.getByRole("link", { name: "svc-001" }).click();
  await expect(page).toHaveURL(/\/domains\/south_australia\/services\/svc-001$/);
  await expect(page.getByRole("heading", { level: 1, name: "Glenelg Tram" })).toBeVisible();
  await expect(
    page
      .getByRole("table", { name: "Effective assignments" })
      .getByRole("row", { name: /^default / }),
  ).toContainText("Domain default");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Glenelg Tram" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Back to the domain keeps the search; breadcrumbs lead up the tree.
  await page.goBack();
  await expect(page).toHaveURL(/q=tram/);
  await expect(page.getByLabel("Search", { exact: true })).toHaveValue("tram");
  await page.goForward();
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs.getByText("svc-001")).toHaveAttribute("aria-current", "page");
  await crumbs.getByRole("link", { name: "South Australia" }).click();
  await expect(page).toHaveURL(/\/domains\/south_australia$/);
  await crumbs.getByRole("link", { name: "Client One (demo)" }).click();
  await expect(page).toHaveURL(/\/clients\/client-1$/);
  await crumbs.getByRole("link", { name: "Clients" }).click();
  await expect(page).toHaveURL(/\/clients$/);
});

test("a viewer sees no edit controls, only the way to history", async ({ page }) => {
  await signInAs(page, "viewer");
  await page.goto("/clients/client-1/domains/south_australia");
  await expect(
    page.getByRole("table", { name: "Services" }).getByRole("link", { name: "svc-001" }),
  ).toBeVisible();
  await expect(
    page
      .getByRole("table", { name: "Assignment keys" })
      .getByRole("link", { name: "History of key default" }),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: "New assignment key" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Edit key/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Edit features/ })).toHaveCount(0);

  await page.goto("/clients/client-1/domains/south_australia/services/svc-002");
  await expect(
    page
      .getByRole("table", { name: "Effective assignments" })
      .getByRole("row", { name: /^default / }),
  ).toContainText("Own override");
  await expect(
    page.getByRole("button", { name: /Edit features|Override|Remove override/ }),
  ).toHaveCount(0);
  await expect(page.getByRole("link", { name: "History of key default" })).toBeVisible();
});

test("an inactive domain and a departed service say that writes are refused, and offer no edits", async ({
  page,
}) => {
  await signInAs(page, "admin");
  await page.goto("/clients/client-1/domains/victoria");
  await expect(
    page.getByRole("note").filter({ hasText: "This domain is inactive: writes are refused" }),
  ).toBeVisible();
  await expect(
    page.getByRole("table", { name: "Services" }).getByRole("link", { name: "svc-101" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: /^Edit features/ })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  await page.goto("/clients/client-1/domains/south_australia/services/svc-009");
  await expect(
    page.getByRole("note").filter({ hasText: "This service has departed the domain" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: /Edit features|Override/ })).toHaveCount(0);
});

test("an unknown domain shows a not-found state, not a crash", async ({ page }) => {
  await signInAs(page, "admin");
  await page.goto("/clients/client-1/domains/no-such-domain");
  await expect(page.getByRole("alert").filter({ hasText: "Not found" })).toContainText(
    `Domain "no-such-domain" not found`,
  );
  await expect(
    page
      .getByRole("navigation", { name: "Breadcrumb" })
      .getByRole("link", { name: "Client One (demo)" }),
  ).toBeVisible();
});
