// planUpsert's reads: after the context row (read in the opening round trip), only what upsertReads asks for, and
// nothing once the row alone refuses (decisions 005/022: the seed PUT is two round trips).
import { describe, expect, it } from "vitest";
import type { SQL } from "drizzle-orm";
import { render } from "@/db/statement";
import type { Run, Statement } from "@/db/types";
import type { UpsertRequest } from "@/lib/features/decide-upsert";
import { planUpsert, type UpsertContext } from "./plan-upsert";

const V1 = [{ key: "mode", type: "enum" as const, required: true, allowed_values: ["tram"] }];
const context = (over: Partial<UpsertContext> = {}): UpsertContext => ({
  client_exists: true,
  domain_status: "active",
  service: { status: "active", features: { mode: "tram" } },
  named: [{ id: "svc-1", status: "active", features: { mode: "tram" } }],
  model_exists: true,
  contract: V1,
  active: null,
  latest: null,
  ...over,
});
const body = (over: Partial<UpsertRequest> = {}): UpsertRequest => ({
  model_id: "m",
  model_version: "1",
  status: "active",
  settings: {},
  metadata: {},
  ...over,
});
const scope = { clientId: "c", domainId: "d", key: "default" };

/** A runner that records each statement's text (as Drizzle renders it) and answers no rows. */
function recorder() {
  const texts: string[] = [];
  const q = (async (statement: Statement | SQL) => {
    texts.push(render(statement).text);
    return [];
  }) as Run;
  return { q, texts };
}

describe("planUpsert's reads", () => {
  it("the seed PUT (a service's assignment, no patches) reads nothing after the context row", async () => {
    const { q, texts } = recorder();
    const plan = await planUpsert(
      q,
      { ...scope, serviceId: "svc-1", body: body() },
      { context: context() },
    );
    expect(texts).toEqual([]);
    expect(plan.blocking).toEqual([]);
  });

  it("reads the effective entries when a service is patched or its override retired", async () => {
    const patched = recorder();
    await planUpsert(
      patched.q,
      {
        ...scope,
        serviceId: "svc-1",
        body: body({ service_updates: [{ service_id: "svc-1", static_features: { a: 1 } }] }),
      },
      { context: context() },
    );
    expect(patched.texts).toHaveLength(1);
    expect(patched.texts[0]).toMatch(/model_versions/);
    const retired = recorder();
    await planUpsert(
      retired.q,
      { ...scope, serviceId: "svc-1", body: body({ status: "archived" }) },
      { context: context() },
    );
    expect(retired.texts).toHaveLength(1);
  });

  it("a domain default reads the domain's services", async () => {
    const { q, texts } = recorder();
    await planUpsert(q, { ...scope, serviceId: null, body: body() }, { context: context() });
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/from "services"/);
  });

  it("reads nothing more when the context row refuses, and throws the refusal as its ApiError", async () => {
    const { q, texts } = recorder();
    const write = planUpsert(
      q,
      {
        ...scope,
        serviceId: null,
        body: body({ service_updates: [{ service_id: "svc-1", static_features: {} }] }),
      },
      { context: context({ domain_status: "inactive" }) },
    );
    await expect(write).rejects.toMatchObject({ status: 422, reason: "domain_inactive" });
    expect(texts).toEqual([]);
  });
});
