// A domain of its own for one test (created through the API), so specs never depend on each other's writes.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, uniqueId, type Api } from "./fixtures";

type FreshService = { id: string; features: Record<string, unknown> };
type FreshDomain = { clientId: string; domainId: string; api: string; console: string };

export async function createFreshDomain(
  api: Api,
  services: FreshService[],
  defaults: { key?: string; modelId?: string; version: string } | null = { version: "1.0.0" },
): Promise<FreshDomain> {
  const clientId = "client-1";
  const domainId = uniqueId("e2e-dom");
  const created = await api.send("POST", `/v2/clients/${clientId}/domains`, {
    domain_id: domainId,
    name: `E2E ${domainId}`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const base = `/v2/clients/${clientId}/domains/${domainId}`;
  for (const s of services) {
    const res = await api.send("POST", `${base}/services`, {
      service_id: s.id,
      name: `Service ${s.id}`,
      provided_features: s.features,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  if (defaults) {
    const res = await api.send("POST", `${base}/assignments`, {
      assignment_key: defaults.key ?? "default",
      model_id: defaults.modelId ?? "example-model",
      model_version: defaults.version,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  return { clientId, domainId, api: base, console: `/clients/${clientId}/domains/${domainId}` };
}

/**
 * No serious or critical accessibility violations on the page as it is now, once its finite animations and
 * transitions have ended (a toast fading in is checked at full opacity, not halfway: its colours are what is read).
 */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
  expect(serious, serious.join("\n")).toEqual([]);
}
