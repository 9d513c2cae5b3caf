// Journey 13: see what is really running. The services table shows what each service reported next to what it
// should run (state badge and how long), the domain shows its share in sync and the services that are not; after a
// domain move, a report through the API turns a service from out of sync to synced in the open page, no reload.
import { expect, signInAs, test, uniqueId, type Api } from "./fixtures";
import type { Page } from "@playwright/test";

const row = (page: Page, serviceId: string) =>
  page
    .getByRole("table", { name: "Services", exact: true })
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: serviceId, exact: true }) });

test("the demo domain shows every sync state", async ({ page }) => {
  await signInAs(page, "viewer");
  await page.goto("/clients/client-1/domains/south_australia");
  const card = page.getByRole("region", { name: "Key default" });
  await expect(card.getByText(/% in sync/)).toBeVisible();
  const notSynced = card.getByRole("table", { name: "Not in sync for key default" });
  await expect(notSynced.getByRole("row").filter({ hasText: "svc-003" })).toContainText("Failed");
  await expect(notSynced.getByRole("row").filter({ hasText: "svc-003" })).toContainText(
    "model file not found",
  );
  await expect(notSynced.getByRole("row").filter({ hasText: "svc-004" })).toContainText("Unknown");
  // The services table: each service's state under what it should run.
  await expect(row(page, "svc-003")).toContainText("Failed");
  await expect(row(page, "svc-004")).toContainText("Unknown");
});

async function freshDomain(api: Api): Promise<string> {
  const domainId = uniqueId("obs");
  expect(
    (
      await api.send("POST", "/v2/clients/client-1/domains", {
        domain_id: domainId,
        name: `Observed ${domainId}`,
      })
    ).status,
  ).toBe(201);
  for (const s of ["s-1", "s-2"]) {
    const res = await api.send("POST", `/v2/clients/client-1/domains/${domainId}/services`, {
      service_id: s,
      provided_features: { route: `r-${s}`, mode: "bus" },
    });
    expect(res.status).toBe(201);
  }
  const put = await api.send(
    "PUT",
    `/v2/clients/client-1/domains/${domainId}/assignments/default`,
    {
      model_id: "example-model",
      model_version: "1.0.0",
    },
  );
  expect(put.status).toBe(200);
  return domainId;
}

test("after a domain move, a report turns a service from out of sync to synced without a reload", async ({
  page,
  api,
}) => {
  const domainId = await freshDomain(api);
  const base = `/v2/clients/client-1/domains/${domainId}`;
  const effective = await api.get<{ assignment_id: string; contract_hash: string }>(
    `${base}/service/s-1/assignments/default/effective`,
  );
  const reported = await api.send("PUT", `${base}/service/s-1/observed/default`, {
    assignment_id: effective.body.assignment_id,
    model_id: "example-model",
    model_version: "1.0.0",
    contract_hash: effective.body.contract_hash,
    state: "loaded",
  });
  expect(reported.body).toMatchObject({ sync: "synced" });

  await signInAs(page, "editor");
  await page.goto(`/clients/client-1/domains/${domainId}`);
  await expect(row(page, "s-1")).toContainText("Synced");
  await expect(row(page, "s-2")).toContainText("Unknown");
  const card = page.getByRole("region", { name: "Key default" });
  await expect(card).toContainText("50% in sync: 1 of 2 services");
  await expect(page.getByText("Live", { exact: true })).toBeVisible();

  // The domain moves to 2.0.0: s-1 still runs 1.0.0, so it is out of sync, at once.
  const moved = await api.send<{ assignment_id: string }>("PUT", `${base}/assignments/default`, {
    model_id: "example-model",
    model_version: "2.0.0",
  });
  expect(moved.status).toBe(200);
  await expect(row(page, "s-1")).toContainText("Out of sync");
  await expect(row(page, "s-1")).toContainText("runs example-model@1.0.0");
  await expect(card).toContainText("0% in sync: 0 of 2 services");

  // s-1 reloads and reports the new version: synced in the open page.
  const next = await api.get<{ assignment_id: string; contract_hash: string }>(
    `${base}/service/s-1/assignments/default/effective`,
  );
  const synced = await api.send("PUT", `${base}/service/s-1/observed/default`, {
    assignment_id: next.body.assignment_id,
    model_id: "example-model",
    model_version: "2.0.0",
    contract_hash: next.body.contract_hash,
    state: "loaded",
  });
  expect(synced.body).toMatchObject({
    sync: "synced",
    previous_sync: "out_of_sync",
    changed: true,
  });
  await expect(row(page, "s-1")).toContainText("Synced");
  await expect(card).toContainText("50% in sync: 1 of 2 services");

  // A report with another contract is a contract mismatch, shown as such.
  await api.send("PUT", `${base}/service/s-2/observed/default`, {
    model_id: "example-model",
    model_version: "2.0.0",
    contract_hash: "0".repeat(64),
    state: "loaded",
  });
  await expect(row(page, "s-2")).toContainText("Contract mismatch");
  await expect(
    card.getByRole("table", { name: "Not in sync for key default" }).getByRole("row", {
      name: /s-2/,
    }),
  ).toContainText("Contract mismatch");

  // The service's own page: what it should run next to what it reported.
  await row(page, "s-1").getByRole("link", { name: "s-1", exact: true }).click();
  const running = page.getByRole("table", { name: "What it reports it runs" });
  await expect(running.getByRole("row", { name: /^default / })).toContainText("Synced");
  await expect(running.getByRole("row", { name: /^default / })).toContainText(
    "example-model@2.0.0 (loaded)",
  );
});
