// Journey 12: ask for review, review, apply. An editor moves a domain (whose policy requires one approval) to
// example-model 2.0.0 with the blocking services filled in and requests review; an admin, in another browser,
// finds it in their queue and approves it; the editor applies it; history links the revision to the request.
import { expect, signInAs, test } from "./fixtures";
import { createFreshDomain, expectNoSeriousA11yViolations } from "./fresh-domain";

test("an editor requests review, a second person approves, the author applies", async ({
  page,
  browser,
  api,
  baseURL,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-a", features: { route: "route-a", mode: "bus" } },
    { id: "line-b", features: { mode: "tram" } },
  ]);
  const policy = await api.send("PATCH", domain.api, {
    change_policy: { required_approvals: 1 },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);

  // The author: the editor's Save is "Request review" here.
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default`);
  await page.getByLabel("Version", { exact: true }).selectOption("2.0.0");
  const blocking = page.getByRole("list", { name: "Blocking services" });
  await expect(page.getByRole("heading", { name: "Blocking services (1)" })).toBeVisible();
  await blocking.getByRole("group", { name: "line-b" }).getByLabel("route").fill("route-b");
  await expect(page.getByRole("heading", { name: "Blocking services (0)" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  await page.getByLabel("Title").fill(`Move ${domain.domainId} to 2.0.0`);
  await page.getByRole("button", { name: "Request review" }).click();
  await expect(page.getByText(/Opened change request #\d+: it awaits review/)).toBeVisible();
  await expect(page).toHaveURL(/\/clients\/client-1\/change-requests\/[0-9a-f-]{36}$/);
  const requestUrl = new URL(page.url()).pathname;
  // Nothing was written yet.
  const before = await api.get<{ model_version: string }>(`${domain.api}/assignments/default`);
  expect(before.body.model_version).toBe("1.0.0");

  // The request page: the change, the services it moves, none blocking, the contract diff.
  const change = page.getByRole("region", { name: /default: example-model@2\.0\.0/ });
  await expect(change).toContainText("Affected services (2 move)");
  await expect(change).toContainText("line-a, line-b");
  await expect(change).toContainText("no blocking services");
  await expect(change.getByRole("region", { name: "Contract diff" })).toContainText("route");
  await expect(change.getByRole("region", { name: "Service updates" })).toContainText("route-b");
  await expect(page.getByText("Approvals: 0 of 1")).toBeVisible();
  // The author may comment, not approve.
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  // The reviewer, in another browser: the queue in the navigation, then approve with a comment.
  const reviewerContext = await browser.newContext({ baseURL });
  const reviewer = await reviewerContext.newPage();
  await signInAs(reviewer, "admin");
  await reviewer.goto("/clients");
  const queueLink = reviewer.getByRole("navigation", { name: "Main" }).getByRole("link", {
    name: /Reviews/,
  });
  await expect(queueLink.getByLabel(/awaiting your review/)).not.toHaveText("0");
  await queueLink.click();
  await reviewer
    .getByRole("link", { name: new RegExp(`Move ${domain.domainId} to 2\\.0\\.0`) })
    .click();
  await expect(reviewer).toHaveURL(new RegExp(`${requestUrl}$`));
  await reviewer.getByLabel("Comment").fill("Routes checked");
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByText("Approvals: 1 of 1")).toBeVisible();
  await expect(reviewer.getByText("Routes checked")).toBeVisible();
  await reviewerContext.close();

  // The author applies.
  await page.reload();
  await expect(page.getByText("Approvals: 1 of 1")).toBeVisible();
  await page.getByRole("button", { name: "Apply now" }).click();
  await expect(page.getByText(/Applied change request #\d+/)).toBeVisible();
  const after = await api.get<{ model_version: string }>(`${domain.api}/assignments/default`);
  expect(after.body.model_version).toBe("2.0.0");

  // History shows the revision linked to the request.
  await page.getByRole("link", { name: "See history" }).click();
  const revision2 = page
    .getByRole("list", { name: "Revisions" })
    .getByRole("article", { name: /^Revision 2\b/ });
  await expect(revision2).toContainText("example-model@2.0.0");
  await revision2.getByRole("link", { name: "change request" }).click();
  await expect(page).toHaveURL(new RegExp(`${requestUrl}$`));
  await expect(page.getByText("applied", { exact: true })).toBeVisible();
});

test("an admin sets a client's approvals on its page; its editors then request review instead of saving", async ({
  page,
  api,
}) => {
  try {
    await signInAs(page, "admin");
    await page.goto("/clients/client-2");
    const approvals = page.getByRole("region", { name: "Approvals" });
    await approvals.getByLabel("Approvals required").selectOption("1");
    await approvals.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Changes to client-2 now need 1 approval(s)")).toBeVisible();
    const client = await api.get<{ change_policy: { required_approvals: number } }>(
      "/v2/clients/client-2",
    );
    expect(client.body.change_policy.required_approvals).toBe(1);
    await page.goto("/clients/client-2/domains/tasmania/assignments/default");
    await expect(page.getByRole("button", { name: "Request review" })).toBeVisible();
  } finally {
    const reset = await api.send("PATCH", "/v2/clients/client-2", {
      change_policy: { required_approvals: 0 },
    });
    expect(reset.status).toBe(200);
  }
});

test("on a service of a domain that requires approvals, the override form requests review instead of saving", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-a", features: { route: "route-a", mode: "bus" } },
  ]);
  const policy = await api.send("PATCH", domain.api, {
    change_policy: { required_approvals: 1 },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);

  await signInAs(page, "editor");
  await page.goto(`${domain.console}/services/line-a`);
  const row = page
    .getByRole("table", { name: "Effective assignments" })
    .getByRole("row", { name: /^default / });
  await row.getByRole("button", { name: "Override of key default" }).click();
  const form = page.getByRole("form", { name: "Override for line-a" });
  await form.getByLabel("Model").selectOption("example-model");
  await form.getByLabel("Version").selectOption("2.0.0");
  await expect(form.getByText("This domain requires 1 approval from someone else")).toBeVisible();
  await expect(form.getByRole("button", { name: "Save override" })).toHaveCount(0);
  await form.getByLabel("Title").fill(`Line A on 2.0.0 in ${domain.domainId}`);
  await form.getByRole("button", { name: "Request review" }).click();

  await expect(page.getByText(/Opened change request #\d+: it awaits review/)).toBeVisible();
  await expect(page).toHaveURL(/\/clients\/client-1\/change-requests\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: /Line A on 2\.0\.0/ })).toBeVisible();
  const change = page.getByRole("region", { name: /default: example-model@2\.0\.0/ });
  await expect(change).toContainText(`${domain.domainId} · service line-a`);
  await expect(change).toContainText("Affected services (1 moves)");
  await expect(change).toContainText("no blocking services");
  // Nothing was written: the service still follows its domain default.
  const effective = await api.get<{ source: string; model_version: string }>(
    `${domain.api}/service/line-a/assignments/default/effective`,
  );
  expect(effective.body).toMatchObject({ source: "domain_default", model_version: "1.0.0" });
});

test("the author fixes a request's blocking services from its page, which voids the approvals given before", async ({
  page,
  api,
}) => {
  const domain = await createFreshDomain(api, [
    { id: "line-a", features: { route: "route-a", mode: "bus" } },
    { id: "line-b", features: { mode: "tram" } },
  ]);
  const policy = await api.send("PATCH", domain.api, {
    change_policy: { required_approvals: 1 },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);

  // The editor asks for review of the move without filling in what line-b lacks: it opens, blocked.
  await signInAs(page, "editor");
  await page.goto(`${domain.console}/assignments/default`);
  await page.getByLabel("Version", { exact: true }).selectOption("2.0.0");
  await expect(page.getByRole("heading", { name: "Blocking services (1)" })).toBeVisible();
  await page.getByLabel("Title").fill(`Move ${domain.domainId}, blocked`);
  await page.getByRole("button", { name: "Request review" }).click();
  await expect(page).toHaveURL(/\/clients\/client-1\/change-requests\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const change = page.getByRole("region", { name: /default: example-model@2\.0\.0/ });
  await expect(change).toContainText("1 blocking");
  await expect(page.getByText("Services block this request")).toBeVisible();

  // Someone approves the blocked request (it can be reviewed, not applied).
  const opened = await api.get<{ impact_hash: string }>(
    `/v2/clients/client-1/change-requests/${id}`,
  );
  const approved = await api.send("POST", `/v2/clients/client-1/change-requests/${id}/reviews`, {
    decision: "approve",
    impact_hash: opened.body.impact_hash,
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  await page.reload();
  await expect(page.getByText("Approvals: 1 of 1")).toBeVisible();

  // The author fixes line-b right there: the editor's repair inputs, saved into the request.
  const fixer = page.getByRole("group", { name: "line-b" });
  await expect(fixer).toContainText("missing");
  await page.getByRole("button", { name: "Save fixes to the request" }).click();
  await expect(fixer.getByText("Enter route for this service")).toBeVisible();
  await fixer.getByLabel("route").fill("route-b");
  await page.getByRole("button", { name: "Save fixes to the request" }).click();
  await expect(page.getByText(/nothing blocks it now; it needs a new review/)).toBeVisible();
  await expect(change).toContainText("no blocking services");
  await expect(change.getByRole("region", { name: "Service updates" })).toContainText("route-b");
  await expect(page.getByText("Services block this request")).toHaveCount(0);
  await expect(page.getByText("Approvals: 0 of 1")).toBeVisible();
  await expect(page.getByText("no longer counts: the request changed since")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const edited = await api.get<{
    status: string;
    blocked: boolean;
    changes: { body: { service_updates?: unknown[] } }[];
  }>(`/v2/clients/client-1/change-requests/${id}`);
  expect(edited.body).toMatchObject({ status: "open", blocked: false });
  expect(edited.body.changes[0]!.body.service_updates).toEqual([
    { service_id: "line-b", static_features: { route: "route-b" } },
  ]);
});
