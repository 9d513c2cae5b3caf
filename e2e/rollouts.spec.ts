// Journey 14: roll out in waves. Plan a two-wave rollout of two fresh domains to example-model 2.0.0, see the
// service that blocks wave 2 before anything moves, fix its features on its page, start, promote wave 1 (wave 2
// applies), and roll back: both domains are back on 1.0.0.
import { expect, signInAs, test } from "./fixtures";
import { createFreshDomain, expectNoSeriousA11yViolations } from "./fresh-domain";

test("plan two waves, fix the blocking service seen in wave 2, start, promote, roll back", async ({
  page,
  context,
  api,
}) => {
  const first = await createFreshDomain(api, [
    { id: "line-a", features: { route: "route-a", mode: "bus" } },
  ]);
  const second = await createFreshDomain(api, [
    { id: "line-b", features: { mode: "tram" } },
    { id: "line-c", features: { route: "route-c", mode: "bus" } },
  ]);

  await signInAs(page, "admin");
  await page.goto("/clients");
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Rollouts" })
    .click();
  await expect(page.getByRole("heading", { name: "Rollouts", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "New rollout" }).click();

  await page.getByLabel("Name (optional)").fill(`e2e ${first.domainId}`);
  await page.getByLabel("Client").selectOption("client-1");
  await page.getByLabel("Model").selectOption("example-model");
  await page.getByLabel("Version").selectOption("2.0.0");
  const wave = (n: number) =>
    page.locator("section").filter({ has: page.getByRole("heading", { name: `Wave ${n}` }) });
  await wave(1).getByLabel(first.domainId, { exact: true }).check();
  await page.getByRole("button", { name: "Add a wave" }).click();
  await wave(2).getByLabel(second.domainId, { exact: true }).check();
  await page.getByRole("button", { name: "Preview" }).click();

  // Wave 2's blocking service is seen before wave 1 moves; nothing can start.
  const previewTwo = page.getByLabel("Preview of wave 2");
  await expect(previewTwo).toContainText("1 blocking");
  await expect(previewTwo.getByRole("link", { name: "line-b" })).toBeVisible();
  await expect(previewTwo).toContainText("missing route");
  await expect(page.getByLabel("Preview of wave 1")).toContainText("0 blocking");
  await expect(page.getByRole("button", { name: "Start rollout" })).toBeDisabled();
  await expectNoSeriousA11yViolations(page);

  // Fix it on the service's page (in another tab, so the plan stays).
  const href = await previewTwo.getByRole("link", { name: "line-b" }).getAttribute("href");
  const fix = await context.newPage();
  await fix.goto(href!);
  await fix.getByRole("button", { name: "Edit features" }).click();
  const form = fix.getByRole("form", { name: "Edit features of line-b" });
  await form.getByRole("button", { name: "Add feature" }).click();
  await form.getByLabel(/^New feature \d+: key$/).fill("route");
  await form.getByLabel(/^New feature \d+: type$/).selectOption("string");
  await form.getByLabel(/^New feature \d+: value$/).fill("route-b");
  await form.getByRole("button", { name: "Save features" }).click();
  await expect(form).toHaveCount(0);
  await fix.close();

  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByLabel("Preview of wave 2")).toContainText("0 blocking");
  await expect(page.getByText("No service blocks it")).toBeVisible();
  await page.getByRole("button", { name: "Start rollout" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Start" }).click();

  // The rollout's page: wave 1 applied (no approvals required), waiting for a person's promotion.
  await expect(page).toHaveURL(/\/rollouts\/[0-9a-f-]{36}$/);
  const waves = page.getByRole("list", { name: "Waves" });
  await expect(waves.getByRole("listitem").nth(0)).toContainText("applied");
  await expect(waves.getByRole("listitem").nth(1)).toContainText("pending");
  const movedFirst = await api.get<{ model_version: string }>(`${first.api}/assignments/default`);
  expect(movedFirst.body.model_version).toBe("2.0.0");
  const notYet = await api.get<{ model_version: string }>(`${second.api}/assignments/default`);
  expect(notYet.body.model_version).toBe("1.0.0");
  await expect(waves.getByLabel("Wave 1 synced share")).toBeVisible();

  await page.getByRole("button", { name: "Promote" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Promote" }).click();
  await expect(waves.getByRole("listitem").nth(0)).toContainText("completed");
  await expect(waves.getByRole("listitem").nth(1)).toContainText("applied");
  const movedSecond = await api.get<{ model_version: string }>(`${second.api}/assignments/default`);
  expect(movedSecond.body.model_version).toBe("2.0.0");

  await page.getByRole("button", { name: "Roll back" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Roll back" }).click();
  await expect(page.getByText("rolled back").first()).toBeVisible();
  await expect(waves.getByRole("listitem").nth(1)).toContainText("rolled back");
  for (const d of [first, second]) {
    const back = await api.get<{ model_version: string; restored_from_revision: number | null }>(
      `${d.api}/assignments/default`,
    );
    expect(back.body).toMatchObject({ model_version: "1.0.0", restored_from_revision: 1 });
  }
  await expectNoSeriousA11yViolations(page);
});
