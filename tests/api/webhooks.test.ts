// Webhooks end to end through the real route handlers, a real database (PGlite, and PostgreSQL when
// TEST_DATABASE_URL is set), the real dispatcher and a local HTTP receiver started by the test.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { advanceClock, now, resetClock } from "@/lib/server/clock";
import { Scheduler } from "@/lib/server/scheduler/scheduler";
import { WebhookDispatcher } from "@/lib/server/webhooks/dispatcher";
import { call, token } from "../helpers/api";
import {
  CLIENT,
  expectError,
  resetDemo,
  service,
  serviceAssignment,
  V1,
  V2,
} from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Received = { headers: http.IncomingHttpHeaders; body: string; at: number };
type Receiver = {
  url: string;
  received: Received[];
  /** Answers the status this returns for the n-th request (0-based). */
  answer: (n: number, body: string) => number;
  close: () => Promise<void>;
};

async function startReceiver(): Promise<Receiver> {
  const receiver = {
    received: [] as Received[],
    answer: (() => 200) as Receiver["answer"],
  } as Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const n = receiver.received.length;
      receiver.received.push({ headers: req.headers, body, at: Date.now() });
      res.writeHead(receiver.answer(n, body), { "content-type": "text/plain" });
      res.end("thanks");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

async function until<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function verify(secret: string, received: Received): boolean {
  const header = String(received.headers["x-signature"]);
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac("sha256", secret)
    .update(`${match[1]}.${received.body}`)
    .digest("hex");
  return expected === match[2] && Math.abs(Number(match[1]) - Date.now() / 1000) < 60;
}

const WEBHOOKS = `${CLIENT}/webhooks`;

describe.each(DRIVERS)("webhooks on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let receiver: Receiver;
  const dispatchers: WebhookDispatcher[] = [];
  const startDispatcher = () => {
    const d = new WebhookDispatcher(tdb.database, { retryBaseMs: 100, pollMs: 200 });
    dispatchers.push(d);
    d.start();
    return d;
  };
  const create = (body: unknown, as = admin) =>
    call<Record<string, unknown> & { id: string; secret: string }>("POST", WEBHOOKS, {
      token: as,
      body,
    });
  const deliveries = async (id: string) => {
    const res = await call<{ items: Record<string, unknown>[] }>(
      "GET",
      `${WEBHOOKS}/${id}/deliveries`,
      { token: admin },
    );
    expect(res.status).toBe(200);
    return res.body.items;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "hook-admin" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await resetDemo(tdb);
    receiver = await startReceiver();
    process.env.WEBHOOK_ALLOWED_HOSTS = "127.0.0.1";
  });
  afterEach(async () => {
    await Promise.all(dispatchers.splice(0).map((d) => d.stop()));
    await receiver.close();
    delete process.env.WEBHOOK_ALLOWED_HOSTS;
  });

  it("delivers a report's change of sync state (service.sync_changed), and nothing for a report that changes none", async () => {
    const created = await create({ url: receiver.url, events: ["service"] });
    expect(created.status).toBe(201);
    startDispatcher();
    const report = { model_id: "example-model", model_version: "1.0.0", state: "loaded" };
    const url = `${service("svc-005")}/observed/default`;
    expect((await call("PUT", url, { token: admin, body: report })).body).toMatchObject({
      changed: true,
    });
    expect((await call("PUT", url, { token: admin, body: report })).body).toMatchObject({
      changed: false,
    });
    const [got] = await until(
      "the delivery",
      () => receiver.received.length >= 1 && receiver.received,
    );
    expect(JSON.parse(got!.body)).toMatchObject({
      kind: "service",
      action: "sync_changed",
      service_id: "svc-005",
      assignment_key: "default",
      sync: "synced",
      previous_sync: "unknown",
    });
    // A later change is delivered after it; the unchanged report in between made none.
    await call("PUT", url, { token: admin, body: { ...report, state: "failed", message: "oom" } });
    await until("the second delivery", () => receiver.received.length >= 2);
    expect(receiver.received).toHaveLength(2);
    expect(JSON.parse(receiver.received[1]!.body)).toMatchObject({
      sync: "failed",
      previous_sync: "synced",
    });
  });

  it("delivers a change signed with the secret shown once, with an idempotency id", async () => {
    // Committed before the webhook exists: not delivered.
    expect(
      (await call("PATCH", service("svc-001"), { token: admin, body: { name: "Before" } })).status,
    ).toBe(200);
    const created = await create({ url: receiver.url, events: ["assignment", "service"] });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`${WEBHOOKS}/${created.body.id}`);
    const secret = created.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // Never answered again.
    const listed = await call("GET", WEBHOOKS, { token: admin });
    expect(listed.text).not.toContain(secret);
    expect(listed.body).toMatchObject({ items: [{ id: created.body.id, url: receiver.url }] });
    const one = await call("GET", `${WEBHOOKS}/${created.body.id}`, { token: admin });
    expect(one.status).toBe(200);
    expect(one.text).not.toContain(secret);

    startDispatcher();
    const put = await call("PUT", serviceAssignment("service-1"), { token: admin, body: V2 });
    expect(put.status).toBe(200);
    const [got] = await until(
      "the delivery",
      () => receiver.received.length >= 1 && receiver.received,
    );
    expect(verify(secret, got!)).toBe(true);
    expect(
      verify(
        secret.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
        got!,
      ),
    ).toBe(false);
    expect(got!.headers["content-type"]).toBe("application/json");
    expect(got!.headers["user-agent"]).toMatch(/model-console-webhooks/);
    const body = JSON.parse(got!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      webhook_id: created.body.id,
      delivery_id: got!.headers["x-webhook-id"],
      client_id: "client-1",
      domain_id: "south_australia",
      kind: "assignment",
      action: "upsert",
      service_id: "service-1",
      assignment_id: (put.body as { assignment_id: string }).assignment_id,
      actor: "hook-admin",
    });
    const [record] = await until("the delivery's record", async () => {
      const items = await deliveries(created.body.id);
      return items[0]?.status === "succeeded" && items;
    });
    expect(record).toMatchObject({
      id: got!.headers["x-webhook-id"],
      domain_id: "south_australia",
      status: "succeeded",
      attempt: 1,
      response_code: 200,
      next_retry_at: null,
    });
    expect(receiver.received).toHaveLength(1);
  });

  it("retries a failing receiver with backoff: fails twice, then gets the same delivery id a third time", async () => {
    receiver.answer = (n) => (n < 2 ? 500 : 200);
    const created = await create({ url: receiver.url, events: ["service"] });
    startDispatcher();
    // An assignment change is not a "service" event: it is skipped.
    expect(
      (await call("PUT", serviceAssignment("service-1"), { token: admin, body: V2 })).status,
    ).toBe(200);
    const patch = await call("PATCH", service("svc-001"), {
      token: admin,
      body: { name: "Renamed" },
    });
    expect(patch.status).toBe(200);
    await until("three attempts", () => receiver.received.length >= 3);
    const [items] = [
      await until("success", async () => {
        const list = await deliveries(created.body.id);
        return list[0]?.status === "succeeded" && list;
      }),
    ];
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.received).toHaveLength(3);
    const ids = new Set(receiver.received.map((r) => r.headers["x-webhook-id"]));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      kind: "service",
      action: "patch",
    });
    // Backoff: the second retry waited longer than the first (100 ms, then 200 ms, ±20 %).
    const [a, b, c] = receiver.received.map((r) => r.at);
    expect(b! - a!).toBeGreaterThanOrEqual(70);
    expect(c! - b!).toBeGreaterThanOrEqual(150);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: "succeeded", attempt: 3, response_code: 200 });
  });

  it("keeps commit order per domain: a failing first change holds back the next until it succeeds", async () => {
    receiver.answer = (n) => (n === 0 ? 503 : 200);
    await create({ url: receiver.url, events: ["assignment", "service"] });
    // Two instances' dispatchers share the work through the database.
    startDispatcher();
    startDispatcher();
    for (const name of ["one", "two", "three"]) {
      const res = await call("PATCH", service("svc-001"), { token: admin, body: { name } });
      expect(res.status).toBe(200);
    }
    await until("four requests", () => receiver.received.length >= 4);
    await new Promise((r) => setTimeout(r, 500));
    const cursors = receiver.received.map((r) => (JSON.parse(r.body) as { cursor: string }).cursor);
    expect(cursors).toHaveLength(4);
    expect(cursors[0]).toBe(cursors[1]);
    expect(cursors.slice(1).map(Number)).toEqual(
      [...cursors.slice(1).map(Number)].sort((x, y) => x - y),
    );
    expect(new Set(cursors).size).toBe(3);
  });

  it("sends a delivery again on a manual retry, with the same id", async () => {
    const created = await create({ url: receiver.url, events: ["assignment"] });
    startDispatcher();
    await call("PUT", serviceAssignment("service-1"), { token: admin, body: V1 });
    expect(
      (await call("PUT", serviceAssignment("service-1"), { token: admin, body: V2 })).status,
    ).toBe(200);
    // Both changes delivered (the PUT of V1 may or may not be a change, depending on the seed).
    const [done] = await until("success", async () => {
      const list = await deliveries(created.body.id);
      return list.length > 0 && list.every((d) => d.status === "succeeded") && list;
    });
    const sentBefore = receiver.received.filter((r) => r.headers["x-webhook-id"] === done!.id);
    expect(sentBefore).toHaveLength(1);
    const retry = await call(
      "POST",
      `${WEBHOOKS}/${created.body.id}/deliveries/${String(done!.id)}/retry`,
      { token: admin, headers: { "x-change-reason": "receiver was down" } },
    );
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: done!.id, status: "pending" });
    // The retry is in the audit log: who sent the change again, why, and the delivery before and after.
    const audit = await call<{
      items: {
        action: string;
        entity_id: string;
        reason: string | null;
        before: { id: string; status: string };
        after: { status: string };
      }[];
    }>("GET", "/v2/audit?action=webhook.delivery_retry", { token: admin });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      entity_id: created.body.id,
      reason: "receiver was down",
      before: { id: done!.id, status: "succeeded" },
      after: { status: "pending" },
    });
    const again = await until("the second send", () => {
      const sent = receiver.received.filter((r) => r.headers["x-webhook-id"] === done!.id);
      return sent.length >= 2 && sent;
    });
    expect(again[1]!.body).toBe(sentBefore[0]!.body);
    const missing = await call(
      "POST",
      `${WEBHOOKS}/${created.body.id}/deliveries/00000000-0000-4000-8000-000000000000/retry`,
      { token: admin },
    );
    expectError(missing, 404, /Delivery/);
  });

  it("refuses disallowed hosts when the webhook is created", async () => {
    delete process.env.WEBHOOK_ALLOWED_HOSTS;
    // Loopback, private and link-local by default.
    for (const url of [
      receiver.url,
      "http://10.1.2.3/x",
      "http://[::1]:8080/",
      "http://localhost/",
      // Private IPv4 addresses in IPv6 forms: IPv4-mapped in hex, IPv4-compatible, NAT64, 6to4, Teredo.
      "http://[::ffff:7f00:1]/",
      "http://[::7f00:1]/",
      "http://[64:ff9b::a00:1]/",
      "http://[2002:c0a8:101::1]/",
      "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
    ])
      expectError(await create({ url, events: ["service"] }), 422, /loopback, private|link-local/);
    // Metadata: refused always, even with "*".
    process.env.WEBHOOK_ALLOWED_HOSTS = "*";
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[fd00:ec2::254]/",
      "http://100.100.100.200/",
      "http://metadata.google.internal/computeMetadata/v1/",
      "http://[::ffff:169.254.169.254]/",
      "http://[64:ff9b::a9fe:a9fe]/",
      "http://[2002:a9fe:a9fe::]/",
    ])
      expectError(await create({ url, events: ["service"] }), 422, /metadata/);
    expectError(
      await create({ url: "http://169.254.10.1/", events: ["service"] }),
      422,
      /link-local/,
    );
    expect((await create({ url: receiver.url, events: ["service"] })).status).toBe(201);
    // A list allows only what it names.
    process.env.WEBHOOK_ALLOWED_HOSTS = "hooks.example.com";
    expectError(
      await create({ url: receiver.url, events: ["service"] }),
      422,
      /WEBHOOK_ALLOWED_HOSTS/,
    );
    // Bad input.
    expectError(
      await create({ url: "ftp://example.com/", events: ["service"] }),
      422,
      /https:\/\//,
    );
    expectError(
      await create({ url: "https://u:p@example.com/", events: ["service"] }),
      422,
      /password/,
    );
    expectError(await create({ url: "not a url", events: ["service"] }), 422, /not a URL/);
    expectError(await create({ url: "", events: ["service"] }), 400, /url/);
    expectError(await create({ url: receiver.url, events: [] }), 400, /events/);
    expectError(await create({ url: receiver.url, events: ["deploy"] }), 400, /events/);
    expectError(await create({ url: receiver.url, events: ["service"], secret: "x" }), 400);
    expectError(
      await create({ url: `https://example.com/${"a".repeat(3000)}`, events: ["service"] }),
      400,
      /2048/,
    );
    // Nothing was written by the refused ones.
    const list = await call<{ items: unknown[] }>("GET", WEBHOOKS, { token: admin });
    expect(list.body.items).toHaveLength(1);
  });

  it("re-checks the host at each send: a host no longer allowed is not contacted", async () => {
    const created = await create({ url: receiver.url, events: ["service"] });
    process.env.WEBHOOK_ALLOWED_HOSTS = "hooks.example.com";
    startDispatcher();
    await call("PATCH", service("svc-001"), { token: admin, body: { name: "x" } });
    const [item] = await until("the failed attempt", async () => {
      const list = await deliveries(created.body.id);
      return list[0] && Number(list[0].attempt) >= 1 && list[0].error !== null && list;
    });
    expect(item).toMatchObject({ status: "pending", response_code: null });
    expect(String(item!.error)).toMatch(/WEBHOOK_ALLOWED_HOSTS/);
    expect(receiver.received).toHaveLength(0);
  });

  it("needs admin for the client; deleting stops deliveries; create and delete are audited without the secret", async () => {
    const editor = await token({ sub: "ed", scopes: ["assignments:write", "services:write"] });
    expectError(await create({ url: receiver.url, events: ["service"] }, editor), 403, /admin/);
    const other = await token({ sub: "other", clients: ["client-2"] });
    expectError(await create({ url: receiver.url, events: ["service"] }, other), 403, /client-1/);
    expectError(await call("GET", `/v2/clients/nope/webhooks`, { token: admin }), 404, /nope/);
    expectError(await call("GET", `${WEBHOOKS}/not-a-uuid`, { token: admin }), 400, /UUID/);
    const created = await create({ url: receiver.url, events: ["service"], description: "ops" });
    const deleted = await call("DELETE", `${WEBHOOKS}/${created.body.id}`, { token: admin });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: created.body.id, description: "ops" });
    expectError(await call("GET", `${WEBHOOKS}/${created.body.id}`, { token: admin }), 404);
    expectError(await call("DELETE", `${WEBHOOKS}/${created.body.id}`, { token: admin }), 404);
    startDispatcher();
    await call("PATCH", service("svc-001"), { token: admin, body: { name: "y" } });
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(0);
    const audit = await tdb.database.query<{ action: string; text: string }>(
      `select action, coalesce(before, after)::text as text from audit_log where entity_type = 'webhook' order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.delete"]);
    for (const a of audit) expect(a.text).not.toContain(created.body.secret);
    const stored = await tdb.database.query<{ n: number }>(
      `select count(*)::int as n from webhooks where secret_encrypted like '%' || $1 || '%'`,
      [created.body.secret.slice(6)],
    );
    expect(stored[0]!.n).toBe(0);
  });

  it("sends a scheduled change in advance (change_request.scheduled with upcoming) and change_request.failed at its time", async () => {
    const created = await create({ url: receiver.url, events: ["change_request"] });
    expect(created.status).toBe(201);
    startDispatcher();
    try {
      // No approval required in the demo: approved at open, scheduled an hour ahead.
      const opened = await call<{ id: string; status: string }>(
        "POST",
        `${CLIENT}/change-requests`,
        {
          token: admin,
          body: {
            title: "Tonight",
            apply_at: new Date(now().getTime() + 3_600_000).toISOString(),
            changes: [
              {
                domain_id: "south_australia",
                assignment_key: "default",
                body: { ...V1, metadata: { tonight: true } },
              },
            ],
          },
        },
      );
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      expect(opened.body.status).toBe("approved");
      // Someone writes the key meanwhile: at its time, the request's impact no longer holds.
      const put = await call("PUT", `${CLIENT}/domains/south_australia/assignments/default`, {
        token: admin,
        body: { ...V1, metadata: { hotfix: true } },
      });
      expect(put.status).toBe(200);
      advanceClock(3_600_000 + 1000);
      expect(await new Scheduler(tdb.database).cycle()).toBe(1);
      const got = await until(
        "the failed delivery",
        () =>
          receiver.received.some((r) => JSON.parse(r.body).action === "failed") &&
          receiver.received,
      );
      const events = got.map((r) => JSON.parse(r.body) as Record<string, unknown>);
      expect(events.map((e) => e.action)).toEqual(["opened", "scheduled", "failed"]);
      expect(events[1]).toMatchObject({
        kind: "change_request",
        change_request_id: opened.body.id,
        assignment_key: "default",
        upcoming: { model_id: "example-model", change_request_id: opened.body.id },
      });
      expect(events[2]).toMatchObject({
        kind: "change_request",
        change_request_id: opened.body.id,
      });
    } finally {
      resetClock();
    }
  });

  it("answers the domain's latest cursor for ?after=latest (where the console's live view starts)", async () => {
    const feed = "/v2/clients/client-1/domains/south_australia/changes";
    expect((await call("GET", `${feed}?after=latest`, { token: admin })).body).toEqual({
      items: [],
      next_cursor: "0",
    });
    await call("PATCH", service("svc-001"), { token: admin, body: { name: "a" } });
    await call("PATCH", service("svc-001"), { token: admin, body: { name: "b" } });
    expect((await call("GET", `${feed}?after=latest`, { token: admin })).body).toEqual({
      items: [],
      next_cursor: "2",
    });
    expectError(
      await call("GET", "/v2/clients/client-1/domains/nope/changes?after=latest", { token: admin }),
      404,
      /nope/,
    );
    expectError(await call("GET", `${feed}?after=newest`, { token: admin }), 400, /after/);
  });
});
