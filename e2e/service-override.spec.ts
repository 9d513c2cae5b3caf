// Journey 5, "override one service": give a service its own model version for a key, see that it differs from
// the domain default, remove the override (with confirmation) and see the default again; checked against the API.
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

type Effective = { source: "service" | "domain_default"; model_id: string; model_version: string };

/** A fresh domain whose default for `default` is example-model@1.0.0, with the given services. */
async function domainWithDefault(
  api: Api,
  services: { service_id: string; provided_features: Record<string, unknown> }[],
): Promise<string> {
  const domainId = uniqueId("ovr");
  expect(
    (
      await api.send("POST", "/v2/clients/client-1/domains", {
        domain_id: domainId,
        name: `Override ${domainId}`,
      })
    ).status,
  ).toBe(201);
  for (const service of services) {
    expect(
      (await api.send("POST", `/v2/clients/client-1/domains/${domainId}/services`, service)).status,
    ).toBe(201);
  }
  const put = await api.send(
    "PUT",
    `/v2/clients/client-1/domains/${domainId}/assignments/default`,
    { model_id: "example-model", model_version: "1.0.0" },
  );
  expect(put.status).toBe(200);
  return domainId;
}

const effectiveOf = async (api: Api, domainId: string, serviceId: string) =>
  (
    await api.get<Effective>(
      `/v2/clients/client-1/domains/${domainId}/service/${serviceId}/assignments/default/effective`,
    )
  ).body;

test("override a key to another version, see it differ from the default, remove it, see the default again", async ({
  page,
  api,
}) => {
  const domainId = await domainWithDefault(api, [
    { service_id: "svc-a", provided_features: { route: "route-a", mode: "tram" } },
  ]);
  await signInAs(page, "editor");
  await page.goto(`/clients/client-1/domains/${domainId}/services/svc-a`);
  const table = page.getByRole("table", { name: "Effective assignments" });
  const row = table.getByRole("row", { name: /^default / });
  await expect(row).toContainText("Domain default");
  await expect(row).toContainText("example-model@1.0.0");
  await expectNoSeriousA11yViolations(page);

  await row.getByRole("button", { name: "Override of key default" }).click();
  const form = page.getByRole("form", { name: "Override for svc-a" });
  await expect(form.getByLabel("Assignment key")).toHaveValue("default");
  await form.getByLabel("Model").selectOption("example-model");
  await form.getByLabel("Version").selectOption("2.0.0");
  // The version picker shows the contract and how this service fits it, before saving.
  await expect(form.getByText("Contract of example-model@2.0.0")).toBeVisible();
  await expect(form.getByText("This service fits it")).toBeVisible();
  await expect(form.getByText("Provided: route-a")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await form.getByRole("button", { name: "Save override" }).click();

  await expect(page.getByText("svc-a now runs example-model@2.0.0 for “default”")).toBeVisible();
  await expect(form).toHaveCount(0);
  await expect(row).toContainText("Own override");
  await expect(row).toContainText("example-model@2.0.0");
  await expect(row).toContainText("Differs from the default");
  expect(await effectiveOf(api, domainId, "svc-a")).toMatchObject({
    source: "service",
    model_id: "example-model",
    model_version: "2.0.0",
  });

  // Remove the override: asks first; Cancel changes nothing.
  await row.getByRole("button", { name: "Remove override of key default" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove the override of “default”?" });
  await expect(dialog).toContainText("goes back to the domain default, example-model@1.0.0");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText("Own override");

  await row.getByRole("button", { name: "Remove override of key default" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove override" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(row).toContainText("Domain default");
  await expect(row).toContainText("example-model@1.0.0");
  await expect(row).toContainText("Follows the default");
  expect(await effectiveOf(api, domainId, "svc-a")).toMatchObject({
    source: "domain_default",
    model_id: "example-model",
    model_version: "1.0.0",
  });
  // The archived override is kept in the key's history.
  const revisions = await api.get<{ items: { status: string; model_version: string }[] }>(
    `/v2/clients/client-1/domains/${domainId}/service/svc-a/assignments/default/revisions`,
  );
  expect(revisions.body.items.map((r) => r.status)).toEqual(["archived", "archived"]);
  await expect(row.getByRole("link", { name: "History of key default" })).toHaveAttribute(
    "href",
    `/clients/client-1/domains/${domainId}/services/svc-a/assignments/default/history`,
  );
});

test("an override the service's features don't fit is refused with the blocking features, which can be filled in there", async ({
  page,
  api,
}) => {
  const domainId = await domainWithDefault(api, [
    { service_id: "svc-b", provided_features: { mode: "bus" } },
  ]);
  await signInAs(page, "admin");
  await page.goto(`/clients/client-1/domains/${domainId}/services/svc-b`);
  const row = page
    .getByRole("table", { name: "Effective assignments" })
    .getByRole("row", { name: /^default / });
  await row.getByRole("button", { name: "Override of key default" }).click();
  const form = page.getByRole("form", { name: "Override for svc-b" });
  await form.getByLabel("Model").selectOption("example-model");
  await form.getByLabel("Version").selectOption("2.0.0");
  await expect(form.getByText("This service does not fit it yet")).toBeVisible();
  await form.getByRole("button", { name: "Save override" }).click();

  const refusal = form.getByRole("alert");
  await expect(refusal).toContainText("Not saved");
  await expect(refusal).toContainText("route: missing");
  expect(await effectiveOf(api, domainId, "svc-b")).toMatchObject({
    source: "domain_default",
    model_version: "1.0.0",
  });

  // Fill in the blocking feature with the version's typed inputs, then save the override again.
  await refusal
    .getByRole("button", { name: "Fill in the features for example-model@2.0.0" })
    .click();
  const editor = page.getByRole("form", { name: "Edit features of svc-b" });
  await expect(editor.getByLabel("route")).toBeFocused();
  await editor.getByLabel("route").fill("route-b");
  await editor.getByLabel("route").press("Enter");
  await expect(page.getByText("Saved the features of svc-b")).toBeVisible();
  await expect(form.getByText("This service fits it")).toBeVisible();
  await form.getByRole("button", { name: "Save override" }).click();
  await expect(row).toContainText("Own override");
  expect(await effectiveOf(api, domainId, "svc-b")).toMatchObject({
    source: "service",
    model_version: "2.0.0",
  });
});
