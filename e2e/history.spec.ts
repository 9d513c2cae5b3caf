// Journey 6: every key's revisions, a diff between each one and the one before, and restore as a new revision.
import { expect, signInAs, test } from "./fixtures";
import { createFreshDomain, expectNoSeriousA11yViolations } from "./fresh-domain";

type Row = {
  revision: number;
  model_version: string;
  status: string;
  role: string | null;
  settings: Record<string, unknown>;
};

test("restoring an old revision makes a new active revision, and the diff shows the version change", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-1", features: { route: "r1", mode: "bus" } },
    { id: "line-2", features: { route: "r2", mode: "tram" } },
  ]);
  const moved = await api.send("PUT", `${domain.api}/assignments/default`, {
    model_id: "example-model",
    model_version: "2.0.0",
    role: "ranker",
    settings: { threshold: 0.7 },
  });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);

  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default/history`);
  await expect(page.getByRole("heading", { level: 1, name: "History of default" })).toBeVisible();
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs.getByRole("link", { name: "Clients" })).toBeVisible();
  await expect(crumbs.getByRole("link", { name: "default" })).toHaveAttribute(
    "href",
    `${domain.console}/assignments/default`,
  );
  await expect(crumbs).toContainText("History");

  const revisions = page.getByRole("list", { name: "Revisions" });
  const rev2 = revisions.getByRole("article", { name: /^Revision 2\b/ });
  const rev1 = revisions.getByRole("article", { name: /^Revision 1\b/ });
  await expect(rev2).toContainText("active");
  await expect(rev1).toContainText("archived");
  await expect(rev2.getByRole("row", { name: /model_version/ })).toContainText(/1\.0\.0\s*2\.0\.0/);
  await expect(rev2.getByRole("row", { name: /^role/ })).toContainText("ranker");
  await expect(rev2.getByRole("row", { name: /settings\.threshold/ })).toContainText("0.7");
  await expect(rev1).toContainText("The first revision of this key");
  // When: readable, with the exact time in a <time> element.
  await expect(rev2.locator("time")).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
  // The active revision can't be "restored"; older ones can.
  await expect(rev2.getByRole("button", { name: /Restore/ })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  await rev1.getByRole("button", { name: "Restore revision 1" }).click();
  const dialog = page.getByRole("dialog", { name: "Restore revision 1?" });
  await expect(dialog).toContainText("example-model@1.0.0");
  await dialog.getByRole("button", { name: "Restore revision 1" }).click();
  await expect(
    page.getByText("Restored revision 1 as revision 3 (example-model@1.0.0)"),
  ).toBeVisible();

  const rev3 = revisions.getByRole("article", { name: /^Revision 3\b/ });
  await expect(rev3).toContainText("active");
  await expect(rev3.getByRole("row", { name: /model_version/ })).toContainText(/2\.0\.0\s*1\.0\.0/);
  await expect(rev2).toContainText("archived");
  await expect(rev3).toContainText("Restored from revision 1");
  await expect(rev2).not.toContainText("Restored from");

  const current = await api.get<Row>(`${domain.api}/assignments/default`);
  expect(current.body).toMatchObject({
    revision: 3,
    model_version: "1.0.0",
    status: "active",
    role: null,
    settings: {},
  });
  const all = await api.get<{ items: Row[] }>(`${domain.api}/assignments/default/revisions`);
  expect(all.body.items.map((r) => [r.revision, r.status, r.model_version])).toEqual([
    [3, "active", "1.0.0"],
    [2, "archived", "2.0.0"],
    [1, "archived", "1.0.0"],
  ]);
});

test("a domain move shows the service patches written with it; a restore says which revision it restored", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-1", features: { mode: "bus" } },
    { id: "line-2", features: { mode: "tram", stops: 4 } },
    { id: "line-3", features: { route: "r3", mode: "ferry", night_service: "no" } },
  ]);
  // One PUT moves the default to 2.0.0 and patches three services' features with it.
  const moved = await api.send("PUT", `${domain.api}/assignments/default`, {
    model_id: "example-model",
    model_version: "2.0.0",
    service_updates: [
      { service_id: "line-1", static_features: { route: "r1" } },
      { service_id: "line-2", static_features: { route: "r2", stops: null } },
      { service_id: "line-3", static_features: { night_service: false } },
    ],
  });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);

  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default/history`);
  const revisions = page.getByRole("list", { name: "Revisions" });
  const rev2 = revisions.getByRole("article", { name: /^Revision 2\b/ });
  const rev1 = revisions.getByRole("article", { name: /^Revision 1\b/ });
  await expect(rev2.getByRole("row", { name: /model_version/ })).toContainText(/1\.0\.0\s*2\.0\.0/);
  await expect(rev2).toContainText("Service features changed with it (3 services)");
  const patches = rev2.getByRole("table", { name: "Service features changed with revision 2" });
  await expect(patches.getByRole("row", { name: "line-1 route" })).toContainText(/\(none\)\s*"r1"/);
  await expect(patches.getByRole("row", { name: "line-2 route" })).toContainText('"r2"');
  await expect(patches.getByRole("row", { name: "line-2 stops" })).toContainText(/4\s*\(removed\)/);
  await expect(patches.getByRole("row", { name: "line-3 night_service" })).toContainText(
    /"no"\s*false/,
  );
  await expect(patches.getByRole("row")).toHaveCount(5); // the header and four feature changes
  await expect(rev1.getByRole("table", { name: /Service features changed/ })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  await rev1.getByRole("button", { name: "Restore revision 1" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Restore revision 1" }).click();
  await expect(page.getByText("Restored revision 1 as revision 3")).toBeVisible();
  const rev3 = revisions.getByRole("article", { name: /^Revision 3\b/ });
  await expect(rev3).toContainText("Restored from revision 1");
  // The person reads as their email, the same way everywhere.
  await expect(rev3).toContainText("by editor@e2e.test");
  await expect(rev3).not.toContainText("user:");
  // A restore patches no service: it shows no service changes.
  await expect(rev3.getByRole("table", { name: /Service features changed/ })).toHaveCount(0);
  await rev3.getByRole("link", { name: "revision 1" }).click();
  await expect(page).toHaveURL(/#revision-1$/);
  await expectNoSeriousA11yViolations(page);

  // Restoring it again changes nothing, so nothing is written.
  await rev1.getByRole("button", { name: "Restore revision 1" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Restore revision 1" }).click();
  await expect(
    page.getByText("Nothing to restore: revision 3 already runs exactly what revision 1 did."),
  ).toBeVisible();

  const all = await api.get<{ items: (Row & { restored_from_revision: number | null })[] }>(
    `${domain.api}/assignments/default/revisions`,
  );
  expect(all.body.items.map((r) => [r.revision, r.restored_from_revision])).toEqual([
    [3, 1],
    [2, null],
    [1, null],
  ]);
});

test("a restore that would break services shows them, and the editor opened from there fixes and saves it", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(
    api,
    [
      { id: "line-1", features: { route: "r1", mode: "bus" } },
      { id: "line-2", features: { route: "r2", mode: "tram" } },
    ],
    { version: "2.0.0" },
  );
  expect(
    (
      await api.send("PUT", `${domain.api}/assignments/default`, {
        model_id: "example-model",
        model_version: "1.0.0",
      })
    ).status,
  ).toBe(200);
  // 1.0.0 does not need a route, so line-2 may drop it; 2.0.0 (revision 1) does.
  expect(
    (
      await api.send("PATCH", `${domain.api}/service/line-2`, {
        provided_features: { route: null },
      })
    ).status,
  ).toBe(200);

  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default/history`);
  const rev1 = page
    .getByRole("list", { name: "Revisions" })
    .getByRole("article", { name: /^Revision 1\b/ });
  await rev1.getByRole("button", { name: "Restore revision 1" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Restore revision 1" }).click();
  const problem = rev1.getByRole("alert");
  await expect(problem).toContainText("would break 1 service");
  await expect(problem.getByRole("list", { name: "Blocking services" })).toContainText(
    "line-2: missing route",
  );
  expect((await api.get<Row>(`${domain.api}/assignments/default`)).body.revision).toBe(2);

  await problem.getByRole("link", { name: /Open revision 1 in the editor/ }).click();
  await expect(page.getByLabel("Version", { exact: true })).toHaveValue("2.0.0");
  const group = page
    .getByRole("list", { name: "Blocking services" })
    .getByRole("group", { name: "line-2" });
  await group.getByLabel("route").fill("r2-back");
  await expect(page.getByRole("heading", { name: "Blocking services (0)" })).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/Saved revision 3 of default: example-model@2\.0\.0/)).toBeVisible();
  expect((await api.get<Row>(`${domain.api}/assignments/default`)).body).toMatchObject({
    revision: 3,
    model_version: "2.0.0",
  });
});

test("a service override's history lists its revisions and restores one; viewers get no Restore", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-9", features: { route: "r9", mode: "ferry" } },
  ]);
  const override = `${domain.api}/service/line-9/assignments/default`;
  expect(
    (await api.send("PUT", override, { model_id: "example-model", model_version: "2.0.0" })).status,
  ).toBe(200);
  expect(
    (
      await api.send("PUT", override, {
        model_id: "example-model",
        model_version: "2.0.0",
        metadata: { reason: "pilot" },
      })
    ).status,
  ).toBe(200);

  await signInAs(page, "viewer");
  const historyPath = `${domain.console}/services/line-9/assignments/default/history`;
  await page.goto(historyPath);
  const revisions = page.getByRole("list", { name: "Revisions" });
  await expect(
    revisions
      .getByRole("article", { name: /^Revision 2\b/ })
      .getByRole("row", { name: /metadata\.reason/ }),
  ).toContainText("pilot");
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("line-9");
  await expect(page.getByRole("button", { name: /Restore/ })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  await page.context().clearCookies();
  await signInAs(page, "editor");
  await page.goto(historyPath);
  await revisions
    .getByRole("article", { name: /^Revision 1\b/ })
    .getByRole("button", { name: "Restore revision 1" })
    .click();
  await page.getByRole("dialog").getByRole("button", { name: "Restore revision 1" }).click();
  await expect(page.getByText("Restored revision 1 as revision 3")).toBeVisible();
  const current = await api.get<Row & { metadata: unknown }>(override);
  expect(current.body).toMatchObject({ revision: 3, metadata: {} });
});

test("a key with no revisions says so", async ({ page, api }) => {
  const domain = await createFreshDomain(api, [], null);
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/nothing-here/history`);
  await expect(page.getByText("No revisions of nothing-here yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "Assign a model version" })).toBeVisible();
});
