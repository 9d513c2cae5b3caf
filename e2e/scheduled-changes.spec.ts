// Journey 14 (scheduled part): a change request scheduled a few seconds ahead shows its time and a live countdown
// on its page and in the list, and the domain page shows it as an upcoming change; at its time the server applies
// it and the pages say so without a reload.
import { expect, signInAs, test } from "./fixtures";
import { createFreshDomain, expectNoSeriousA11yViolations } from "./fresh-domain";

test("a scheduled request counts down, is shown as upcoming, and applies at its time", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-a", features: { route: "route-a", mode: "bus" } },
  ]);
  const title = `Tonight: ${domain.domainId} to 2.0.0`;
  const applyAt = new Date(Date.now() + 25_000).toISOString();
  const opened = await api.send<{ id: string; number: number; status: string }>(
    "POST",
    "/v2/clients/client-1/change-requests",
    {
      title,
      apply_at: applyAt,
      changes: [
        {
          domain_id: domain.domainId,
          assignment_key: "default",
          body: { model_id: "example-model", model_version: "2.0.0" },
        },
      ],
    },
  );
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  // No approval required for this domain: approved at once, waiting for its time.
  expect(opened.body.status).toBe("approved");

  await signInAs(page, "admin");
  await page.goto(domain.console);
  const upcoming = page.getByRole("list", { name: "Upcoming changes" });
  await expect(upcoming).toContainText(`#${opened.body.number} ${title}`);
  await expect(upcoming).toContainText("default domain default → example-model 2.0.0");
  await expect(upcoming).toContainText("1 service moves");
  await expect(upcoming.getByRole("timer")).toHaveText(/^in \d+ s$/);
  await expectNoSeriousA11yViolations(page);

  await page.goto("/clients/client-1/change-requests");
  const row = page.getByRole("row", { name: new RegExp(title) });
  await expect(row.getByRole("timer")).toHaveText(/^in \d+ s$/);

  await row.getByRole("link", { name: new RegExp(title) }).click();
  const schedule = page.getByTestId("schedule");
  await expect(schedule).toContainText("Scheduled for");
  const timer = schedule.getByRole("timer");
  const first = await timer.textContent();
  // It counts down while the page is open.
  await expect(timer).not.toHaveText(first!, { timeout: 3_000 });
  await expectNoSeriousA11yViolations(page);

  // At its time the server applies it; the page reads it again by itself.
  await expect(page.getByText("Status: applied")).toBeVisible({ timeout: 40_000 });
  await expect(page.getByText(/Applied by scheduler/)).toBeVisible();
  const after = await api.get<{ model_version: string }>(`${domain.api}/assignments/default`);
  expect(after.body.model_version).toBe("2.0.0");

  // And the domain has nothing upcoming any more.
  await page.goto(domain.console);
  await expect(page.getByRole("heading", { name: "Recent changes" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Upcoming changes" })).toHaveCount(0);
});
