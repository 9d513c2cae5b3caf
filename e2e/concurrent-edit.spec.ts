// Two people, one key: the second save is refused (412 from If-Match), and "Reload and reapply" puts the
// person's edits on top of the other change, so the history keeps both and nothing is silently overwritten.
import { expect, signInAs, test } from "./fixtures";
import { createFreshDomain, expectNoSeriousA11yViolations } from "./fresh-domain";

type Row = {
  revision: number;
  model_version: string;
  role: string | null;
  settings: Record<string, unknown>;
  metadata: Record<string, unknown>;
  created_by: string;
};

test("a stale save gets the 412 banner; reload and reapply keeps both changes", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-1", features: { route: "r1", mode: "bus" } },
    { id: "line-2", features: { route: "r2", mode: "train" } },
  ]);
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default`);
  await expect(page.getByRole("region", { name: /Running now/ })).toContainText("Revision 1");

  // The person edits the role and settings…
  await page.getByLabel("Role").fill("ui-role");
  await page.getByLabel("Settings").fill('{"source": "ui"}');

  // …while someone else moves the key to 2.0.0 through the API.
  const other = await api.send("PUT", `${domain.api}/assignments/default`, {
    model_id: "example-model",
    model_version: "2.0.0",
    metadata: { source: "api" },
  });
  expect(other.status, JSON.stringify(other.body)).toBe(200);

  await page.getByRole("button", { name: "Save", exact: true }).click();
  const banner = page
    .getByRole("alert")
    .filter({ hasText: "Someone else changed this key since you opened it" });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("revision 2");
  // Who changed it and when, in words: not the revision's uuid.
  await expect(banner).toContainText(
    /revision 2 is active now, saved by e2e-setup at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/,
  );
  await expect(banner).not.toContainText((other.body as { assignment_id: string }).assignment_id);
  expect((await api.get<Row>(`${domain.api}/assignments/default`)).body.revision).toBe(2);
  await expectNoSeriousA11yViolations(page);

  await banner.getByRole("button", { name: "Reload and reapply" }).click();
  await expect(banner).toHaveCount(0);
  const reloaded = page.getByRole("status").filter({ hasText: "Reloaded: revision 2" });
  await expect(reloaded).toContainText("model_version 1.0.0 → 2.0.0");
  await expect(reloaded).toContainText("Your changes to role, settings are reapplied");
  await expect(page.getByRole("region", { name: /Running now/ })).toContainText(
    "example-model@2.0.0",
  );
  // Their change is in the form, and so are the person's edits.
  await expect(page.getByLabel("Version", { exact: true })).toHaveValue("2.0.0");
  await expect(page.getByLabel("Role")).toHaveValue("ui-role");
  await expect(page.getByLabel("Settings")).toHaveValue('{"source": "ui"}');
  await expect(page.getByLabel("Metadata")).toHaveValue(/"source": "api"/);
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeFocused();

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/Saved revision 3 of default/)).toBeVisible();

  const revisions = await api.get<{ items: Row[] }>(`${domain.api}/assignments/default/revisions`);
  const [rev3, rev2, rev1] = revisions.body.items;
  expect(rev3).toMatchObject({
    revision: 3,
    model_version: "2.0.0",
    role: "ui-role",
    settings: { source: "ui" },
    metadata: { source: "api" },
  });
  expect(rev2).toMatchObject({
    revision: 2,
    model_version: "2.0.0",
    role: null,
    metadata: { source: "api" },
    created_by: "e2e-setup",
  });
  expect(rev1).toMatchObject({ revision: 1, model_version: "1.0.0" });

  // The history page shows both changes.
  const list = page.getByRole("list", { name: "Revisions" });
  await expect(
    list.getByRole("article", { name: /^Revision 3\b/ }).getByRole("row", { name: /^role/ }),
  ).toContainText("ui-role");
  await expect(
    list
      .getByRole("article", { name: /^Revision 2\b/ })
      .getByRole("row", { name: /model_version/ }),
  ).toContainText(/1\.0\.0\s*2\.0\.0/);
});

test("a key retired by someone else meanwhile: reload, then saving re-creates it", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-1", features: { route: "r1", mode: "bus" } },
  ]);
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default`);
  await page.getByLabel("Role").fill("back-again");
  const retired = await api.send("PUT", `${domain.api}/assignments/default`, {
    model_id: "example-model",
    model_version: "1.0.0",
    status: "archived",
  });
  expect(retired.status).toBe(200);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const banner = page.getByRole("alert").filter({ hasText: "Someone else changed this key" });
  await banner.getByRole("button", { name: "Reload and reapply" }).click();
  await expect(page.getByText("Reloaded: the key has no active revision any more")).toBeVisible();
  await expect(page.getByLabel("Role")).toHaveValue("back-again");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/Saved revision 3 of default/)).toBeVisible();
  expect((await api.get<Row>(`${domain.api}/assignments/default`)).body).toMatchObject({
    revision: 3,
    role: "back-again",
  });
});
