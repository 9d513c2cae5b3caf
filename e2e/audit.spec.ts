// Journey 9: "who changed this, and why?" A reason typed in the console travels with the change, shows in the
// key's history, and the revision's "Audit entry" link opens the audit page with that entry, its reason and
// its before/after diff; a client that requires reasons refuses a change without one.
import { expect, signInAs, test, uniqueId } from "./fixtures";
import { createFreshDomain, expectNoSeriousA11yViolations } from "./fresh-domain";

test("a restore with a reason shows in history and on the audit page with its diff", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [{ id: "line-1", features: { route: "r1" } }]);
  const moved = await api.send("PUT", `${domain.api}/assignments/default`, {
    model_id: "example-model",
    model_version: "2.0.0",
  });
  expect(moved.status, JSON.stringify(moved.body)).toBe(200);

  await signInAs(page, "admin");
  await page.goto(`${domain.console}/assignments/default/history`);
  const revisions = page.getByRole("list", { name: "Revisions" });
  await revisions
    .getByRole("article", { name: /^Revision 1\b/ })
    .getByRole("button", { name: "Restore revision 1" })
    .click();
  const dialog = page.getByRole("dialog", { name: "Restore revision 1?" });
  // Not ASCII: the console percent-encodes it for the header, the server decodes it.
  const reason = "Rollback: 2.0.0 mispredicts in Zürich — ticket OPS-42 🚆";
  await dialog.getByLabel("Reason for this change (optional)").fill(reason);
  await dialog.getByRole("button", { name: "Restore revision 1" }).click();
  await expect(page.getByText("Restored revision 1 as revision 3")).toBeVisible();

  const rev3 = revisions.getByRole("article", { name: /^Revision 3\b/ });
  await expect(rev3).toContainText(`Reason: ${reason}`);
  await rev3.getByRole("link", { name: "Audit entry" }).click();

  await expect(page).toHaveURL(/\/audit\?entity_type=assignment&entity_id=/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const entries = page.getByRole("list", { name: "Audit entries" });
  await expect(entries.getByRole("listitem")).toHaveCount(1);
  const entry = entries.getByRole("article").first();
  await expect(entry).toContainText("assignment.upsert");
  await expect(entry).toContainText(`Reason: ${reason}`);
  await expect(entry.getByRole("row", { name: /^model_version/ })).toContainText(
    /2\.0\.0\s*1\.0\.0/,
  );
  await expect(entry.getByRole("row", { name: /^revision/ })).toContainText(/2\s*3/);
  // The entity links back to the key's history.
  await expect(
    entry.getByRole("link", { name: `client-1/${domain.domainId}//default` }),
  ).toHaveAttribute("href", `${domain.console}/assignments/default/history`);
  // The restore's toast follows to this page; axe must not catch it mid-fade (a contrast artefact).
  await expect(page.getByText("Restored revision 1 as revision 3")).toBeHidden();
  await expectNoSeriousA11yViolations(page);

  // The filters: this domain's assignment entries by action, newest first.
  await page.goto("/audit");
  await page.getByLabel("Entity id").fill(`client-1/${domain.domainId}//default`);
  await page.getByLabel("Action").selectOption("assignment.upsert");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=assignment\.upsert/);
  // Created by createFreshDomain, moved to 2.0.0, restored.
  await expect(entries.getByRole("listitem")).toHaveCount(3);
  await expect(entries.getByRole("article").first()).toContainText(reason);
  await expect(entries.getByRole("article").nth(1)).toContainText("Reason: (none given)");

  // The same filters as CSV.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString("utf8");
  const lines = text.trimEnd().split("\r\n");
  expect(lines[0]).toBe(
    "id,at,actor,action,entity_type,entity_id,client_id,request_id,reason,before,after",
  );
  expect(lines).toHaveLength(4);
  expect(lines[1]).toContain(reason);
});

test("a client that requires reasons refuses a restore without one", async ({ page, api }) => {
  const clientId = uniqueId("e2e-strict");
  const why = { "x-change-reason": "e2e setup" };
  const created = await api.send(
    "POST",
    "/v2/clients",
    { client_id: clientId, require_change_reason: true },
    why,
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const base = `/v2/clients/${clientId}/domains/d1`;
  expect(
    (await api.send("POST", `/v2/clients/${clientId}/domains`, { domain_id: "d1" }, why)).status,
  ).toBe(201);
  for (const role of ["first", "second"]) {
    const res = await api.send(
      "PUT",
      `${base}/assignments/default`,
      { model_id: "example-model", model_version: "1.0.0", role },
      why,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  await signInAs(page, "editor");
  await page.goto(`/clients/${clientId}/domains/d1/assignments/default/history`);
  const revisions = page.getByRole("list", { name: "Revisions" });
  await expect(revisions.getByRole("article").first()).toContainText("Reason: e2e setup");
  await revisions.getByRole("button", { name: "Restore revision 1" }).click();
  const dialog = page.getByRole("dialog", { name: "Restore revision 1?" });
  const field = dialog.getByLabel("Reason for this change (required)");
  await dialog.getByRole("button", { name: "Restore revision 1" }).click();
  await expect(dialog).toContainText("This client requires a reason for every change");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await field.fill("Back to the first role");
  await dialog.getByRole("button", { name: "Restore revision 1" }).click();
  await expect(page.getByText(/Restored revision 1 as revision \d/)).toBeVisible();
  await expect(revisions.getByRole("article").first()).toContainText(
    "Reason: Back to the first role",
  );
});

test("an admin switches required reasons on for a client, and the switch is audited", async ({
  page,
  api,
}) => {
  const clientId = uniqueId("e2e-switch");
  expect((await api.send("POST", "/v2/clients", { client_id: clientId })).status).toBe(201);

  await signInAs(page, "admin");
  await page.goto(`/clients/${clientId}`);
  const card = page.getByRole("region", { name: "Change reasons" });
  await expect(card).toContainText("Now: optional");
  await card.getByRole("switch", { name: "Every change needs a reason" }).check();
  // Switching it on is the first change the rule covers.
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card).toContainText("This client requires a reason for every change");
  await card.getByLabel("Reason for this change (required)").fill("Regulated from today");
  await card.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Every change to ${clientId} now needs a reason`)).toBeVisible();
  await expect(card).toContainText("Now: required");

  const client = await api.get<{ require_change_reason: boolean }>(`/v2/clients/${clientId}`);
  expect(client.body.require_change_reason).toBe(true);
  const audit = await api.get<{ items: { action: string; reason: string | null }[] }>(
    `/v2/audit?entity_type=client&entity_id=${clientId}&action=client.patch`,
  );
  expect(audit.body.items).toEqual([
    expect.objectContaining({ action: "client.patch", reason: "Regulated from today" }),
  ]);
  // And the API now refuses a write without a reason.
  const refused = await api.send("POST", `/v2/clients/${clientId}/domains`, { domain_id: "d" });
  expect(refused.status).toBe(422);
});
