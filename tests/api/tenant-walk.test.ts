// Tenant isolation, walked from /v2/openapi.json so every new route is covered without editing this file:
// every documented path, with every method, called by tokens limited to client-1 against client-2's things
// (its id in the path, its assignment, its token, a person). Nothing may answer 2xx with client-2's rows, and
// client-2's data must be exactly as before the walk.
//
// The walk runs with tokens limited to client-1 (one with the admin scope, the most a limited caller can hold,
// and one with every other scope) and with people's sessions limited to client-1 (an admin and an editor,
// signed in through next-auth as the login form does; people get client limits from single sign-on, set here
// directly in the database as setup).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/server/users/users";
import { WebhookDispatcher } from "@/lib/server/webhooks/dispatcher";
import { call, token, type ApiResponse } from "../helpers/api";
import { Browser } from "../helpers/browser";
import { resetDemo } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Operation = {
  parameters?: ({ $ref: string } | { name: string; in: string })[];
  requestBody?: { content?: Record<string, { example?: unknown }> };
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Caller = (method: string, url: string, body: unknown) => Promise<ApiResponse>;
const PASSWORD = "a walk in the park";

/** Bodies for the writes outside /v2/clients/{client_id}/…: each aims at client-2 or at everyone. */
const BODIES: Record<string, unknown> = {
  "POST /v2/clients": { client_id: "client-3", name: "Three" },
  "POST /v2/users": { email: "intruder@example.com", role: "admin" },
  "PATCH /v2/users/{user_id}": { role: "viewer", disabled: true },
  "POST /v2/tokens": { name: "intruder", scopes: ["admin"], clients: ["client-2"] },
  "POST /v2/rollouts": {
    assignment_key: "default",
    model_id: "example-model",
    model_version: "1.0.0",
    waves: [{ name: "in", targets: [{ client_id: "client-2", domain_id: "tasmania" }] }],
  },
  "POST /v2/rollouts/preview": {
    assignment_key: "default",
    model_id: "example-model",
    model_version: "1.0.0",
    waves: [{ name: "in", targets: [{ client_id: "client-2", domain_id: "tasmania" }] }],
  },
};

describe.each(DRIVERS)("tenant isolation walk on %s", (driver) => {
  let tdb: TestDatabase;
  let doc: OpenApi;
  const values: Record<string, string> = {
    client_id: "client-2",
    domain_id: "tasmania",
    service_id: "svc-201",
    assignment_key: "default",
    model_id: "example-model",
    version: "2.0.0",
  };
  let markers: string[];

  /** Everything of client-2's, to compare before and after the walk. */
  const client2State = async () =>
    tdb.database.query(
      `select
         (select jsonb_agg(c order by id) from clients c where id = 'client-2') as clients,
         (select jsonb_agg(d order by id) from domains d where client_id = 'client-2') as domains,
         (select jsonb_agg(s order by id) from services s where client_id = 'client-2') as services,
         (select jsonb_agg(a order by assignment_id) from assignments a where client_id = 'client-2') as assignments,
         (select jsonb_agg(t order by id) from api_tokens t where clients ? 'client-2' or clients ? '*') as tokens,
         (select jsonb_agg(u order by id) from users u) as users,
         (select jsonb_agg(r order by id) from change_requests r where client_id = 'client-2') as change_requests,
         (select jsonb_agg(r order by id) from rollouts r where client_ids ? 'client-2') as rollouts,
         (select count(*) from clients) as client_count`,
    );

  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    await resetDemo(tdb);
    const admin = await token({ sub: "root" });
    // client-2 gets a token of its own, an audit trail, and there is a person.
    const theirs = await call<{ id: string }>("POST", "/v2/tokens", {
      token: admin,
      body: { name: "client-2 deployer", scopes: ["assignments:read"], clients: ["client-2"] },
    });
    expect(theirs.status).toBe(201);
    values.token_id = theirs.body.id;
    // A webhook of client-2's (on loopback, never reached by the walk) with a delivery of the change below.
    process.env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
    const hook = await call<{ id: string }>("POST", "/v2/clients/client-2/webhooks", {
      token: admin,
      body: { url: "http://127.0.0.1:9/hook", events: ["service"] },
    });
    expect(hook.status).toBe(201);
    values.webhook_id = hook.body.id;
    expect(
      (
        await call("PATCH", "/v2/clients/client-2/domains/tasmania/service/svc-201", {
          token: admin,
          body: { name: "Hobart Buses (renamed)" },
        })
      ).status,
    ).toBe(200);
    const created = await call<{ id: string }>("POST", "/v2/users", {
      token: admin,
      body: { email: "someone@example.com", role: "editor" },
    });
    values.user_id = created.body.id;
    const [assignment] = await tdb.database.query<{ id: string }>(
      `select assignment_id as id from assignments where client_id = 'client-2' limit 1`,
    );
    values.assignment_id = assignment!.id;
    // A change request of client-2's, approved at once (no approvals required): the walk must not apply it.
    const request = await call<{ id: string }>("POST", "/v2/clients/client-2/change-requests", {
      token: admin,
      body: {
        title: "client-2's own change",
        changes: [
          {
            domain_id: "tasmania",
            assignment_key: "default",
            body: { model_id: "example-model", model_version: "1.0.0" },
          },
        ],
      },
    });
    expect(request.status).toBe(201);
    values.change_request_id = request.body.id;
    // A rollout of client-2's, waiting for a person's promotion: the walk must not move, stop or roll it back.
    const rollout = await call<{ id: string }>("POST", "/v2/rollouts", {
      token: admin,
      body: {
        assignment_key: "default",
        model_id: "example-model",
        model_version: "2.0.0",
        waves: [
          {
            name: "tasmania",
            targets: [{ client_id: "client-2", domain_id: "tasmania" }],
            gate: { manual: true },
          },
        ],
      },
    });
    expect(rollout.status, rollout.text).toBe(201);
    values.rollout_id = rollout.body.id;
    const dispatcher = new WebhookDispatcher(tdb.database, { retryBaseMs: 60_000, pollMs: 100 });
    dispatcher.start();
    for (let i = 0; i < 100 && !values.delivery_id; i++) {
      const [delivery] = await tdb.database.query<{ id: string }>(
        `select id::text as id from webhook_deliveries limit 1`,
      );
      if (delivery) values.delivery_id = delivery.id;
      else await new Promise((r) => setTimeout(r, 100));
    }
    await dispatcher.stop();
    delete process.env.WEBHOOK_ALLOWED_HOSTS;
    expect(values.delivery_id).toBeDefined();
    for (const [email, role] of [
      ["walk-admin@example.test", "admin"],
      ["walk-editor@example.test", "editor"],
    ] as const)
      await createUser(tdb.database, { body: { email, role, password: PASSWORD } });
    await tdb.database.query(
      `update users set clients = '["client-1"]'::jsonb where email like 'walk-%'`,
    );
    markers = [
      "client-2",
      "tasmania",
      "svc-201",
      "Hobart",
      values.token_id,
      values.assignment_id,
      values.webhook_id,
    ];
    doc = (await call<OpenApi>("GET", "/v2/openapi.json")).body;
  }, 120_000);
  afterAll(async () => tdb.drop());

  /** Calls every documented path with every method as `caller`, aimed at client-2's things. */
  async function walk(caller: Caller, skipOwnAccount = false): Promise<void> {
    const before = await client2State();
    // A person's own account routes end or change the walker's own session; they hold no tenant's data.
    const paths = Object.keys(doc.paths).filter(
      (p) => !(skipOwnAccount && p.startsWith("/v2/me/")),
    );
    expect(paths.length).toBeGreaterThan(25);
    let walked = 0;
    for (const template of paths) {
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => {
        if (!(name in values))
          throw new Error(`the walk has no value for {${name}} in ${template}`);
        return encodeURIComponent(values[name]!);
      });
      const documented = doc.paths[template]!;
      for (const method of METHODS) {
        const operation = documented[method.toLowerCase()];
        const queryNames = (operation?.parameters ?? []).flatMap((p) =>
          "name" in p && p.in === "query" ? [p.name] : [],
        );
        const target = queryNames.includes("client_id") ? `${url}?client_id=client-2` : url;
        const body =
          method === "GET" || method === "DELETE"
            ? undefined
            : (BODIES[`${method} ${template}`] ??
              operation?.requestBody?.content?.["application/json"]?.example ??
              {});
        const res = await caller(method, target, body);
        walked++;
        const where = `${method} ${target} answered ${res.status}: ${res.text.slice(0, 300)}`;
        expect(res.status, where).not.toBeGreaterThanOrEqual(500);
        const aimsAtClient2 =
          template.includes("{client_id}") ||
          /\{(assignment_id|token_id|user_id)\}/.test(template) ||
          queryNames.includes("client_id") ||
          `${method} ${template}` in BODIES;
        if (!operation) {
          expect([404, 405], where).toContain(res.status);
        } else if (aimsAtClient2) {
          expect([403, 404], where).toContain(res.status);
        }
        // The public API document's examples name demo tenants; it holds no tenant's rows.
        if (res.status < 300 && template !== "/v2/openapi.json") {
          for (const marker of markers) expect(res.text, where).not.toContain(marker);
        } else if (res.status >= 400) {
          expect(res.body, where).toMatchObject({ success: false });
          expect(res.body, where).not.toHaveProperty("items");
        }
      }
    }
    expect(walked).toBe(paths.length * METHODS.length);
    expect(walked).toBeGreaterThan(100);
    expect(await client2State()).toEqual(before);
  }

  it.each([
    ["admin", ["admin"] as const],
    [
      "every other scope",
      [
        "assignments:read",
        "assignments:write",
        "services:read",
        "services:write",
        "models:read",
        "models:write",
      ] as const,
    ],
  ])(
    "a token limited to client-1 with %s gets nothing of client-2 from any route",
    async (_label, scopes) => {
      const limited = await token({
        sub: "client-1 only",
        scopes: [...scopes],
        clients: ["client-1"],
      });
      await walk((method, url, body) => call(method, url, { token: limited, body }));
    },
    120_000,
  );

  it.each(["walk-admin@example.test", "walk-editor@example.test"])(
    "a session of %s, limited to client-1, gets nothing of client-2 from any route",
    async (email) => {
      const browser = new Browser();
      expect((await browser.signIn(email, PASSWORD)).ok).toBe(true);
      const me = await browser.v2<{ clients: unknown }>("GET", "/v2/me");
      expect(me.status).toBe(200);
      expect(me.body.clients).toEqual(["client-1"]);
      await walk((method, url, body) => browser.v2(method, url, { body }), true);
      // Still signed in: every refusal above was about client-2, not a lost session.
      expect((await browser.v2("GET", "/v2/me")).status).toBe(200);
    },
    120_000,
  );

  it("the walk's own check fails when a route leaks (an all-clients token sees client-2)", async () => {
    const everyone = await token({ sub: "everyone", clients: "*" });
    const list = await call("GET", "/v2/tokens", { token: everyone });
    expect(list.status).toBe(200);
    expect(list.text).toContain(values.token_id!);
    const services = await call("GET", "/v2/clients/client-2/domains/tasmania/services", {
      token: everyone,
    });
    expect(services.text).toContain("svc-201");
  });
});
