// The invalidation prefixes the console uses hit exactly the reads they are meant to (TanStack's own matcher).
import { hashKey, partialMatchKey } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { keys } from "./keys";

const domain = { clientId: "c1", domainId: "d1" };
const otherDomain = { clientId: "c1", domainId: "d2" };
const service = { ...domain, serviceId: "svc-1" };
const body = { model_id: "m", model_version: "1.0.0" };

const hits = (prefix: readonly unknown[], key: readonly unknown[]) => partialMatchKey(key, prefix);

describe("query keys", () => {
  it("the domain's assignments prefix hits every assignment read of the domain, and only those", () => {
    const prefix = keys.assignments.domain("c1", "d1");
    for (const key of [
      keys.assignments.keys("c1", "d1"),
      keys.assignments.list({ ...domain, serviceId: null }, "active"),
      keys.assignments.list(service, "all"),
      keys.assignments.detail(domain, "default"),
      keys.assignments.detail(service, "default"),
      keys.assignments.revisions(service, "eta"),
      keys.assignments.preview({ ...domain, key: "default", body }),
      keys.assignments.preview({ ...domain, key: "default", body: null }),
    ])
      expect(hits(prefix, key), JSON.stringify(key)).toBe(true);
    for (const key of [
      keys.assignments.keys("c1", "d2"),
      keys.assignments.detail(otherDomain, "default"),
      keys.assignments.preview({ ...otherDomain, key: "default", body }),
      keys.assignments.byId("a-1"),
      keys.services.all("c1", "d1"),
    ])
      expect(hits(prefix, key), JSON.stringify(key)).toBe(false);
  });

  it("a domain default and a service override of the same key are different reads", () => {
    expect(hashKey(keys.assignments.detail(domain, "default"))).not.toBe(
      hashKey(keys.assignments.detail(service, "default")),
    );
    // serviceId absent or null: the same domain default.
    expect(hashKey(keys.assignments.detail(domain, "default"))).toBe(
      hashKey(keys.assignments.detail({ ...domain, serviceId: null }, "default")),
    );
  });

  it("the other prefixes hit their entity's reads in their scope", () => {
    expect(hits(keys.services.all("c1", "d1"), keys.services.list("c1", "d1", { q: "x" }))).toBe(
      true,
    );
    expect(hits(keys.services.all("c1", "d1"), keys.services.detail("c1", "d1", "s"))).toBe(true);
    expect(hits(keys.services.all("c1", "d1"), keys.services.detail("c1", "d2", "s"))).toBe(false);
    expect(hits(keys.domains.all("c1"), keys.domains.detail("c1", "d1"))).toBe(true);
    expect(hits(keys.domains.all("c1"), keys.domains.list("c1"))).toBe(true);
    expect(hits(keys.domains.detail("c1", "d1"), keys.domains.detail("c1", "d2"))).toBe(false);
    expect(hits(keys.domains.detail("c1", "d1"), keys.domains.list("c1"))).toBe(false);
    expect(hits(keys.clients.all(), keys.clients.detail("c1"))).toBe(true);
    expect(hits(keys.clients.list(), keys.clients.detail("c1"))).toBe(false);
    expect(hits(keys.models.all(), keys.models.diff("m", "2.0.0", "1.0.0"))).toBe(true);
    expect(hits(keys.webhooks.all("c1"), keys.webhooks.list("c1"))).toBe(true);
    expect(hits(keys.webhooks.all("c1"), keys.webhooks.deliveries("c1", "w1"))).toBe(true);
    expect(hits(keys.webhooks.all("c1"), keys.webhooks.list("c2"))).toBe(false);
    expect(hits(keys.webhooks.deliveries("c1", "w1"), keys.webhooks.deliveries("c1", "w2"))).toBe(
      false,
    );
  });

  it("a preview's parameters are read by name", () => {
    const key = keys.assignments.preview({ ...domain, key: "default", body });
    expect(key[1].body).toEqual(body);
    expect(key[1].key).toBe("default");
  });
});
