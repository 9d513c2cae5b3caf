// Issue 9 parts 4 and 5 in the browser: an admin adds a webhook on the client page (secret shown once), a change
// made over REST is delivered to a receiver this test runs, signed, and shows in the deliveries list; and a
// domain page shows a change made over REST live.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createFreshDomain } from "./fresh-domain";
import { expect, signInAs, test } from "./fixtures";

async function expectNoSeriousAxeViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(
    axe.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help}`),
  ).toEqual([]);
}

type Received = { headers: http.IncomingHttpHeaders; body: string };

test.describe("webhooks and live changes", () => {
  test("an admin adds a webhook, a REST change is delivered signed and listed, retried by hand, then deleted", async ({
    page,
    api,
  }) => {
    const received: Received[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const fresh = await createFreshDomain(api, [
        { id: "svc-a", features: { route: "r1", mode: "bus", stops: 3 } },
      ]);
      await signInAs(page, "admin");
      await page.goto("/clients/client-1");
      const section = page
        .getByRole("table", { name: "Webhooks" })
        .or(page.getByText("No webhooks yet"));
      await expect(section.first()).toBeVisible();
      await expectNoSeriousAxeViolations(page);

      await page.getByRole("button", { name: "Add webhook" }).click();
      const form = page.getByRole("dialog", { name: "Add a webhook" });
      // A refused host is explained on the field, and nothing is created.
      await form.getByLabel("URL").fill("http://169.254.169.254/latest/meta-data/");
      await form.getByRole("button", { name: "Add webhook" }).click();
      await expect(form.getByText(/metadata/).first()).toBeVisible();
      await form.getByLabel("URL").fill(url);
      await form.getByLabel("Description (optional)").fill("e2e receiver");
      await form.getByRole("button", { name: "Add webhook" }).click();

      const shown = page.getByRole("dialog", { name: "Webhook signing secret" });
      await expect(shown.getByText("Shown only this once")).toBeVisible();
      const secret = await shown.getByLabel("Signing secret").inputValue();
      expect(secret).toMatch(/^whsec_/);
      await expectNoSeriousAxeViolations(page);
      await shown.getByRole("button", { name: "Done" }).click();

      const row = page
        .getByRole("table", { name: "Webhooks" })
        .getByRole("row")
        .filter({ hasText: url });
      await expect(row).toContainText("e2e receiver");
      await row.getByRole("button", { name: "Deliveries" }).click();
      await expect(page.getByRole("heading", { name: "Deliveries" })).toBeVisible();

      // A change over REST.
      const patched = await api.send("PATCH", `${fresh.api}/service/svc-a`, { name: "Renamed A" });
      expect(patched.status).toBe(200);
      await expect
        .poll(() =>
          received.some((r) => r.body.includes(fresh.domainId) && r.body.includes('"patch"')),
        )
        .toBe(true);
      const got = received.find(
        (r) => r.body.includes(fresh.domainId) && r.body.includes('"patch"'),
      )!;
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(got.headers["x-signature"]))!;
      expect(createHmac("sha256", secret).update(`${t}.${got.body}`).digest("hex")).toBe(v1);
      const deliveryId = String(got.headers["x-webhook-id"]);

      const deliveries = page.getByRole("table", { name: "Deliveries" });
      const delivery = deliveries.getByRole("row").filter({ hasText: deliveryId });
      await expect(delivery).toContainText("succeeded");
      await expect(delivery).toContainText("200");
      await expectNoSeriousAxeViolations(page);

      const before = received.filter((r) => r.headers["x-webhook-id"] === deliveryId).length;
      await delivery.getByRole("button", { name: /Retry delivery .* now/ }).click();
      await expect
        .poll(() => received.filter((r) => r.headers["x-webhook-id"] === deliveryId).length)
        .toBe(before + 1);
      await expect(delivery).toContainText("succeeded");

      await row.getByRole("button", { name: `Delete webhook to ${url}` }).click();
      const confirm = page.getByRole("dialog", { name: "Delete this webhook?" });
      await confirm.getByRole("button", { name: "Delete webhook" }).click();
      await expect(row).toHaveCount(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("a domain page shows a change made over REST live", async ({ page, api }) => {
    const fresh = await createFreshDomain(api, [
      { id: "svc-live", features: { route: "r1", mode: "bus", stops: 3 } },
    ]);
    await signInAs(page, "viewer");
    await page.goto(fresh.console);
    await expect(page.getByRole("heading", { name: "Recent changes" })).toBeVisible();
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    const log = page.getByRole("log", { name: "Recent changes" });
    // The changes made while creating the domain are the recent ones.
    await expect(log.getByRole("listitem").filter({ hasText: "svc-live" }).first()).toBeVisible();
    await expectNoSeriousAxeViolations(page);

    const patched = await api.send("PATCH", `${fresh.api}/service/svc-live`, {
      status: "departed",
    });
    expect(patched.status).toBe(200);
    await expect(log.getByRole("listitem").first()).toContainText("depart");
    await expect(log.getByRole("listitem").first()).toContainText("svc-live");
    await expect(log.getByRole("listitem").first()).toContainText("e2e-setup");
  });
});
