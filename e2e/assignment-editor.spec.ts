// Journey 3: move a domain default to a new model version, fixing the blocking services inline, in one save.
import { adminToken, expect, signInAs, test } from "./fixtures";
import { createFreshDomain, expectNoSeriousA11yViolations } from "./fresh-domain";
import { E2E_USERS } from "./settings.mjs";

const DEMO = "/v2/clients/client-1/domains/south_australia";
const editorEmail = E2E_USERS.find((u) => u.role === "editor")!.email;

// The demo journey moves the demo domain; put its content back afterwards (as new revisions: history is
// append-only), so specs that read the demo data later find it as seeded.
test.afterAll(async ({ playwright }) => {
  // baseURL is a per-test option; the workers inherit the run's port through the environment.
  const request = await playwright.request.newContext({
    baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? 3300}`,
  });
  const headers = {
    authorization: `Bearer ${await adminToken()}`,
    "content-type": "application/json",
  };
  const current = await request.get(`${DEMO}/assignments/default`, { headers });
  if (current.ok() && (await current.json()).model_version !== "1.0.0") {
    const back = await request.put(`${DEMO}/assignments/default`, {
      headers,
      data: { model_id: "example-model", model_version: "1.0.0", metadata: { seeded: true } },
    });
    expect(back.ok(), await back.text()).toBeTruthy();
  }
  const seeded: Record<string, Record<string, unknown>> = {
    "svc-001": { route: null },
    "svc-003": { route: null },
    "svc-006": { route: null, night_service: "yes" },
  };
  for (const [id, provided_features] of Object.entries(seeded)) {
    const res = await request.patch(`${DEMO}/service/${id}`, {
      headers,
      data: { provided_features },
    });
    expect(res.ok(), await res.text()).toBeTruthy();
  }
  await request.dispose();
});

test("an editor moves south_australia's default to example-model 2.0.0, fixing every blocking service inline", async ({
  page,
  api,
}) => {
  await signInAs(page, "editor");
  await page.goto("/clients/client-1/domains/south_australia/assignments/default");
  await expect(page.getByRole("heading", { level: 1, name: "default" })).toBeVisible();
  const runningNow = page.getByRole("region", { name: /Running now/ });
  await expect(runningNow).toContainText("example-model@1.0.0");
  await expect(runningNow).toContainText("Revision 1");

  await expect(page.getByLabel("Model", { exact: true })).toHaveValue("example-model");
  await page.getByLabel("Version", { exact: true }).selectOption("2.0.0");

  // The contract of the chosen version, and what in it breaks services that ran 1.0.0.
  const contract = page.getByRole("region", { name: /Contract of/ });
  await expect(contract).toContainText("route");
  await expect(contract).toContainText("Breaking");

  // The live preview: who changes, and exactly what the blocking services lack.
  await expect(page.getByRole("heading", { name: /\d+ services will change/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Blocking services (3)" })).toBeVisible();
  const blocking = page.getByRole("list", { name: "Blocking services" });
  const svc001 = blocking.getByRole("group", { name: "svc-001" });
  const svc003 = blocking.getByRole("group", { name: "svc-003" });
  const svc006 = blocking.getByRole("group", { name: "svc-006" });
  await expect(svc001).toContainText("route");
  await expect(svc001).toContainText("missing");
  await expect(svc003).toContainText("missing");
  await expect(svc006).toContainText('has "yes", expected boolean');
  await expectNoSeriousA11yViolations(page);

  // Typed inputs from the contract; the list shrinks as each service becomes compatible.
  await svc001.getByLabel("route").fill("route-glenelg");
  await expect(page.getByRole("heading", { name: "Blocking services (2)" })).toBeVisible();
  await svc003.getByLabel("route").fill("route-obahn");
  await expect(page.getByRole("heading", { name: "Blocking services (1)" })).toBeVisible();
  await svc006.getByLabel("route").fill("route-port");
  // Still blocking: night_service "yes" is not a boolean until the switch sets it.
  await expect(page.getByRole("heading", { name: "Blocking services (1)" })).toBeVisible();
  await svc006.getByRole("switch", { name: "night_service" }).check();
  await expect(page.getByRole("heading", { name: "Blocking services (0)" })).toBeVisible();
  await expect(
    page.getByText(
      "Every service this change applies to is compatible with the features you filled in",
    ),
  ).toBeVisible();

  const fixed = page.getByRole("list", { name: "Fixed services" });
  for (const id of ["svc-001", "svc-003", "svc-006"])
    await expect(fixed.getByRole("group", { name: id })).toBeVisible();
  await expect(fixed.getByRole("group", { name: "svc-001" }).getByLabel("route")).toHaveValue(
    "route-glenelg",
  );

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(
    page.getByText(/Saved revision 2 of default: example-model@2\.0\.0 and 3 service updates/),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/assignments\/default\/history$/);

  // What the server holds now.
  const current = await api.get<{
    model_version: string;
    revision: number;
    status: string;
    created_by: string;
  }>(`${DEMO}/assignments/default`);
  expect(current.body).toMatchObject({ model_version: "2.0.0", revision: 2, status: "active" });
  expect(current.body.created_by).toContain(editorEmail.split("@")[0]!);
  const features = async (id: string) =>
    (await api.get<{ provided_features: Record<string, unknown> }>(`${DEMO}/service/${id}`)).body
      .provided_features;
  expect(await features("svc-001")).toMatchObject({ route: "route-glenelg", mode: "tram" });
  expect(await features("svc-003")).toMatchObject({ route: "route-obahn" });
  expect(await features("svc-006")).toMatchObject({ route: "route-port", night_service: true });

  // History: revision 2 active on 2.0.0, revision 1 archived on 1.0.0.
  const revisions = page.getByRole("list", { name: "Revisions" });
  const rev2 = revisions.getByRole("article", { name: /^Revision 2\b/ });
  const rev1 = revisions.getByRole("article", { name: /^Revision 1\b/ });
  await expect(rev2).toContainText("active");
  await expect(rev2).toContainText("example-model@2.0.0");
  await expect(rev2.getByRole("row", { name: /model_version/ })).toContainText("1.0.0");
  await expect(rev2.getByRole("row", { name: /model_version/ })).toContainText("2.0.0");
  await expect(rev1).toContainText("archived");
  await expect(rev1).toContainText("example-model@1.0.0");
});

test("a save the server still refuses (422) shows the blocking services again and keeps everything typed", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-a", features: { route: "route-a", mode: "bus" } },
    { id: "line-b", features: { mode: "tram" } },
    { id: "line-c", features: { route: "route-c", mode: "train" } },
  ]);
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default`);
  await page.getByLabel("Version", { exact: true }).selectOption("2.0.0");
  await page.getByLabel("Role").fill("forecaster");
  const blocking = page.getByRole("list", { name: "Blocking services" });
  await expect(page.getByRole("heading", { name: "Blocking services (1)" })).toBeVisible();
  await blocking.getByRole("group", { name: "line-b" }).getByLabel("route").fill("route-b");
  await expect(page.getByRole("heading", { name: "Blocking services (0)" })).toBeVisible();

  // Meanwhile someone removes line-c's route (fine for 1.0.0, which it runs now).
  const patched = await api.send("PATCH", `${domain.api}/service/line-c`, {
    provided_features: { route: null },
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "The server refused to save" }),
  ).toContainText("line-c");
  await expect(page.getByRole("heading", { name: "Blocking services (1)" })).toBeVisible();
  const lineC = blocking.getByRole("group", { name: "line-c" });
  await expect(lineC).toContainText("missing");
  // Everything typed is still there.
  await expect(
    page
      .getByRole("list", { name: "Fixed services" })
      .getByRole("group", { name: "line-b" })
      .getByLabel("route"),
  ).toHaveValue("route-b");
  await expect(page.getByLabel("Role")).toHaveValue("forecaster");
  await expect(page.getByLabel("Version", { exact: true })).toHaveValue("2.0.0");
  const before = await api.get<{ revision: number }>(`${domain.api}/assignments/default`);
  expect(before.body.revision).toBe(1);

  await lineC.getByLabel("route").fill("route-c2");
  await expect(page.getByRole("heading", { name: "Blocking services (0)" })).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/Saved revision 2 of default/)).toBeVisible();
  const after = await api.get<{ revision: number; model_version: string; role: string }>(
    `${domain.api}/assignments/default`,
  );
  expect(after.body).toMatchObject({ revision: 2, model_version: "2.0.0", role: "forecaster" });
  const services = await api.get<{
    items: { service_id: string; provided_features: Record<string, unknown> }[];
  }>(`${domain.api}/services`);
  const route = (id: string) =>
    services.body.items.find((s) => s.service_id === id)?.provided_features.route;
  expect([route("line-a"), route("line-b"), route("line-c")]).toEqual([
    "route-a",
    "route-b",
    "route-c2",
  ]);
});

test("typed feature values are checked in the browser before anything is sent", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [{ id: "line-x", features: { mode: "bus" } }]);
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default`);
  await page.getByLabel("Version", { exact: true }).selectOption("2.0.0");
  const group = page
    .getByRole("list", { name: "Blocking services" })
    .getByRole("group", { name: "line-x" });
  await group.getByLabel("route").fill("   ");
  await expect(group).toContainText("route is required by this version");
  await page.getByLabel("Settings").fill("[1, 2]");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Settings must be a JSON object")).toBeVisible();
  const still = await api.get<{ revision: number }>(`${domain.api}/assignments/default`);
  expect(still.body.revision).toBe(1);
});

test("a service that becomes compatible while the person types keeps their cursor and every keystroke", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [{ id: "line-k", features: { mode: "bus" } }]);
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default`);
  await page.getByLabel("Version", { exact: true }).selectOption("2.0.0");
  const route = page
    .getByRole("list", { name: "Blocking services" })
    .getByRole("group", { name: "line-k" })
    .getByLabel("route");
  await route.click();
  // Slow enough that the preview answers (and the service moves to "Fixed") in the middle of the word.
  await page.keyboard.type("route-typed-slowly", { delay: 120 });
  const fixedRoute = page
    .getByRole("list", { name: "Fixed services" })
    .getByRole("group", { name: "line-k" })
    .getByLabel("route");
  await expect(fixedRoute).toHaveValue("route-typed-slowly");
  await expect(fixedRoute).toBeFocused();
});

test("a new key is created from the new-assignment page and retired from its editor", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(
    api,
    [{ id: "line-n", features: { route: "r", mode: "bus" } }],
    null,
  );
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/new-assignment`);
  await expect(page.getByRole("heading", { level: 1, name: "New assignment key" })).toBeVisible();
  await page.getByLabel("Assignment key").fill("eta");
  await page.getByLabel("Model", { exact: true }).selectOption("eta-model");
  await page.getByLabel("Version", { exact: true }).selectOption("1.0.0");
  await expect(page.getByRole("heading", { name: /1 service will change/ })).toBeVisible();
  await page.getByLabel("Metadata").fill('{"ticket": "OPS-1"}');
  // Forms submit with Enter.
  await page.getByLabel("Assignment key").press("Enter");
  await expect(page.getByText(/Saved revision 1 of eta: eta-model@1\.0\.0/)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${domain.domainId}/assignments/eta/history$`));
  const created = await api.get<{ revision: number; metadata: unknown }>(
    `${domain.api}/assignments/eta`,
  );
  expect(created.body).toMatchObject({ revision: 1, metadata: { ticket: "OPS-1" } });

  await page.goto(`${domain.console}/assignments/eta`);
  await page.getByRole("button", { name: "Retire this key" }).click();
  const dialog = page.getByRole("dialog", { name: /Retire eta/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Retire key" }).click();
  await expect(page.getByText(/Retired eta/)).toBeVisible();
  expect((await api.get(`${domain.api}/assignments/eta`)).status).toBe(404);
  await expect(
    page.getByRole("list", { name: "Revisions" }).getByRole("article", { name: /^Revision 2\b/ }),
  ).toContainText("retired the key");
});

test("a viewer sees the key read-only: no form, no Save, no Retire", async ({ page }) => {
  await signInAs(page, "viewer");
  await page.goto("/clients/client-1/domains/south_australia/assignments/eta");
  await expect(page.getByText("You can view this key but not change it")).toBeVisible();
  await expect(page.getByRole("region", { name: /Running now|Active revision/ })).toContainText(
    "eta-model@1.0.0",
  );
  await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Retire this key" })).toHaveCount(0);
  await expect(page.getByLabel("Version", { exact: true })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});
