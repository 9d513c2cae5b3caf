// The services page's "Import static features (CSV)", outside any move: a small file is checked, previewed and
// saved in one bulk write; a file with a bad row names the line and writes nothing.
import { createFreshDomain, expectNoSeriousA11yViolations } from "./fresh-domain";
import { expect, signInAs, test } from "./fixtures";

const csv = (name: string, text: string) => ({
  name,
  mimeType: "text/csv",
  buffer: Buffer.from(text, "utf8"),
});

test("imports a small CSV of features: preview, save, and the table shows the new values", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "s-1", features: { mode: "bus" } },
    { id: "s-2", features: { mode: "tram" } },
    { id: "s-3", features: { mode: "bus", stops: 4 } },
  ]);
  await signInAs(page, "editor");
  await page.goto(domain.console);
  const card = page.getByRole("region", { name: "Import static features (CSV)" });
  await card
    .getByLabel("CSV file")
    .setInputFiles(
      csv("stops.csv", "\ufeffservice_id,stops,mode\r\ns-1,12,\r\ns-2,7,train\r\ns-3,4,\r\n"),
    );

  const preview = card.getByRole("region", { name: "Import preview" });
  await expect(preview.getByRole("heading", { name: "2 services will change" })).toBeVisible();
  await expect(preview).toContainText("stops (2 services), mode (1 service)");
  await expect(preview).toContainText("1 value is already set as in the file");
  const changes = preview.getByRole("table", { name: "Changes" });
  await expect(changes.getByRole("row")).toHaveCount(4);
  await expect(changes.getByRole("row", { name: /s-2 mode "tram" "train"/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  // The preview wrote nothing.
  expect((await api.get(`${domain.api}/service/s-1`)).body).toMatchObject({
    provided_features: { mode: "bus" },
  });

  await preview.getByRole("button", { name: "Save 2 services" }).click();
  await expect(card.getByRole("status")).toHaveText("Saved: 2 services updated from stops.csv.");
  await expect(preview).toBeHidden();
  expect((await api.get(`${domain.api}/service/s-1`)).body).toMatchObject({
    provided_features: { mode: "bus", stops: 12 },
  });
  expect((await api.get(`${domain.api}/service/s-2`)).body).toMatchObject({
    provided_features: { mode: "train", stops: 7 },
  });
  // The services table above shows the new values.
  const row = page.getByRole("row", { name: /^s-1 Service s-1/ });
  await expect(row).toContainText("stops");
  await expect(row).toContainText("12");
});

test("a file with a bad row names its line and writes nothing", async ({ page, api }) => {
  const domain = await createFreshDomain(api, [
    { id: "s-1", features: { mode: "bus" } },
    { id: "s-2", features: { mode: "tram" } },
  ]);
  await signInAs(page, "editor");
  await page.goto(domain.console);
  const card = page.getByRole("region", { name: "Import static features (CSV)" });
  await card
    .getByLabel("CSV file")
    .setInputFiles(
      csv(
        "bad.csv",
        "service_id,feature,value\ns-1,stops,4\ns-2,stops,many\ns-9,stops,3\ns-1,colour,red\n",
      ),
    );
  await expect(card.getByRole("status")).toHaveText(
    "Nothing imported: 3 rows need fixing in bad.csv.",
  );
  const rows = card.getByRole("list", { name: "Rows to fix" });
  await expect(rows.getByRole("listitem")).toHaveText([
    /^Line 3, s-2, stops: "many": /,
    'Line 4, s-9, stops: service "s-9" is not in this domain',
    'Line 5, s-1, colour: "colour" is not a feature of example-model@1.0.0',
  ]);
  await expect(card.getByRole("region", { name: "Import preview" })).toHaveCount(0);
  expect((await api.get(`${domain.api}/service/s-1`)).body).toMatchObject({
    provided_features: { mode: "bus" },
  });
  expect((await api.get(`${domain.api}/service/s-2`)).body).toMatchObject({
    provided_features: { mode: "tram" },
  });
});

test("a file the server refuses (the domain requires approvals) shows the server's words and writes nothing", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [{ id: "s-1", features: { mode: "bus" } }]);
  const policy = await api.send("PATCH", domain.api, { change_policy: { required_approvals: 1 } });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
  await signInAs(page, "editor");
  await page.goto(domain.console);
  const card = page.getByRole("region", { name: "Import static features (CSV)" });
  await card.getByLabel("CSV file").setInputFiles(csv("ok.csv", "service_id,stops\ns-1,3\n"));
  // The preview's dry run passes (dry runs answer under a policy); the write itself is refused.
  const preview = card.getByRole("region", { name: "Import preview" });
  await preview.getByRole("button", { name: "Save 1 service" }).click();
  await expect(card.getByRole("alert")).toContainText(
    "requires 1 approval for every change: open a change request (POST /v2/clients/client-1/change-requests)",
  );
  await expect(card.getByRole("status")).toHaveText("Nothing was saved.");
  expect((await api.get(`${domain.api}/service/s-1`)).body).toMatchObject({
    provided_features: { mode: "bus" },
  });
});
