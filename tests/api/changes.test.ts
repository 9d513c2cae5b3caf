// The change feed (transactional outbox), conditional GETs and the whole-domain effective read, through the real
// route handlers on a real database (PGlite, and PostgreSQL when TEST_DATABASE_URL is set).
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { call, callRaw, DOMAIN_DEFAULT, token } from "../helpers/api";
import {
  DOMAIN,
  expectError,
  resetDemo,
  service,
  serviceAssignment,
  V1,
  V2,
} from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Change = {
  cursor: string;
  at: string;
  kind: string;
  action: string;
  assignment_key?: string;
  service_id?: string;
  assignment_id?: string;
  actor: string;
};
type ChangePage = { items: Change[]; next_cursor: string };
type DomainItem = {
  service_id: string;
  source: string;
  assignment: { assignment_id: string; model_version: string };
  contract_hash: string;
};
type DomainPage = { items: DomainItem[]; next_cursor: string | null };

const CHANGES = `${DOMAIN}/changes`;
const DOMAIN_EFFECTIVE = `${DOMAIN_DEFAULT}/effective`;

describe.each(DRIVERS)("change feed and conditional GETs on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "feed-admin" });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const feed = async (after?: string) => {
    const res = await call<ChangePage>(
      "GET",
      `${CHANGES}${after !== undefined ? `?after=${after}` : ""}`,
      { token: admin },
    );
    expect(res.status).toBe(200);
    return res.body;
  };
  const put = (url: string, body: unknown) => call("PUT", url, { token: admin, body });
  const get = (url: string, etag?: string) =>
    call("GET", url, { token: admin, headers: etag ? { "if-none-match": etag } : {} });

  describe("the outbox", () => {
    it("writes one change per committed write, numbered in order, with who and what", async () => {
      expect(await feed()).toEqual({ items: [], next_cursor: "0" });
      const a = await put(serviceAssignment("service-1"), V2);
      expect(a.status).toBe(200);
      const patched = await call("PATCH", service("svc-001"), {
        token: admin,
        body: { name: "Glenelg Tram (renamed)" },
      });
      expect(patched.status).toBe(200);
      const created = await call("POST", `${DOMAIN}/services`, {
        token: admin,
        body: { service_id: "svc-new", provided_features: { route: "r", mode: "bus", stops: 3 } },
      });
      expect(created.status).toBe(201);
      const departed = await call("PATCH", service("svc-new"), {
        token: admin,
        body: { status: "departed" },
      });
      expect(departed.status).toBe(200);
      const retired = await put(DOMAIN_DEFAULT.replace("/default", "/eta"), {
        model_id: "eta-model",
        model_version: "1.0.0",
        status: "archived",
      });
      expect(retired.status).toBe(200);

      const page = await feed();
      expect(page.items.map((c) => c.cursor)).toEqual(["1", "2", "3", "4", "5"]);
      expect(page.next_cursor).toBe("5");
      expect(page.items[0]).toEqual({
        cursor: "1",
        at: expect.stringMatching(/Z$/),
        kind: "assignment",
        action: "upsert",
        assignment_key: "default",
        service_id: "service-1",
        assignment_id: a.body.assignment_id,
        actor: "feed-admin",
      });
      expect(page.items.slice(1).map((c) => [c.kind, c.action, c.service_id ?? null])).toEqual([
        ["service", "patch", "svc-001"],
        ["service", "create", "svc-new"],
        ["service", "depart", "svc-new"],
        ["assignment", "retire", null],
      ]);
      expect(page.items[4]).toMatchObject({
        assignment_key: "eta",
        assignment_id: retired.body.assignment_id,
      });
      // Paging: after a cursor, and a limit.
      expect((await feed("3")).items.map((c) => c.cursor)).toEqual(["4", "5"]);
      const limited = await call<ChangePage>("GET", `${CHANGES}?after=1&limit=2`, {
        token: admin,
      });
      expect(limited.body.items.map((c) => c.cursor)).toEqual(["2", "3"]);
      expect(limited.body.next_cursor).toBe("3");
      expect(await feed("5")).toEqual({ items: [], next_cursor: "5" });
    });

    it("publishes nothing for a write refused with 422, a dry run or a PUT that changes nothing", async () => {
      // svc-001 has no route: example-model 2.0.0 needs it.
      const refused = await put(serviceAssignment("svc-001"), V2);
      expect(refused.status).toBe(422);
      const dry = await call("PUT", `${serviceAssignment("service-1")}?dry_run=true`, {
        token: admin,
        body: V2,
      });
      expect(dry.status).toBe(200);
      const dryService = await call("POST", `${DOMAIN}/services?dry_run=true`, {
        token: admin,
        body: { service_id: "svc-dry" },
      });
      expect(dryService.status).toBe(201);
      // A domain PUT that patches a service and is then refused rolls the patch back too.
      const refusedDomain = await put(DOMAIN_DEFAULT, {
        ...V2,
        service_updates: [{ service_id: "svc-001", static_features: { route: "route-g" } }],
      });
      expect(refusedDomain.status).toBe(422);
      const same = await put(DOMAIN_DEFAULT, { ...V1, metadata: { seeded: true } });
      expect(same.status).toBe(200);
      expect(await feed()).toEqual({ items: [], next_cursor: "0" });
      const rows = await tdb.database.query(`select count(*)::int as n from changes`);
      expect(rows[0]).toEqual({ n: 0 });
    });

    it("a domain PUT with service_updates publishes the patches and the assignment, in that order", async () => {
      const res = await put(DOMAIN_DEFAULT, {
        ...V2,
        service_updates: [
          { service_id: "svc-001", static_features: { route: "route-g" } },
          { service_id: "svc-003", static_features: { route: "route-o" } },
          { service_id: "svc-006", static_features: { route: "route-p", night_service: true } },
        ],
      });
      expect(res.status).toBe(200);
      const { items } = await feed();
      expect(items.map((c) => `${c.kind}:${c.action}:${c.service_id ?? ""}`)).toEqual([
        "service:patch:svc-001",
        "service:patch:svc-003",
        "service:patch:svc-006",
        "assignment:upsert:",
      ]);
    });

    it("answers bad cursors and unknown domains with a clear 4xx", async () => {
      for (const bad of ["abc", "-1", "1.5", "9".repeat(20), "0x10"]) {
        expectError(
          await call("GET", `${CHANGES}?after=${encodeURIComponent(bad)}`, { token: admin }),
          400,
          /after/,
        );
      }
      expectError(await call("GET", `${CHANGES}?after=7`, { token: admin }), 400, /beyond/);
      expectError(await call("GET", `${CHANGES}?limit=0`, { token: admin }), 400, /limit/);
      expectError(
        await call("GET", "/v2/clients/client-1/domains/nowhere/changes", { token: admin }),
        404,
        /nowhere/,
      );
      expectError(
        await call("GET", CHANGES, { token: await token({ clients: ["client-2"] }) }),
        403,
      );
      const events = await callRaw("GET", CHANGES, {
        token: admin,
        headers: { accept: "text/event-stream", "last-event-id": "nope" },
      });
      expect(events.status).toBe(400);
      expect(await events.json()).toMatchObject({ success: false, message: /Last-Event-ID/ });
    });
  });

  describe("the event stream", () => {
    it("streams changes as they commit and resumes after Last-Event-ID without gaps or duplicates", async () => {
      await put(serviceAssignment("service-1"), V2); // cursor 1, before the stream opens
      const first = await openStream({ after: "0" });
      try {
        await put(serviceAssignment("service-1"), V1); // 2
        const events = await first.next(2);
        expect(events.map((e) => [e.id, e.event])).toEqual([
          ["1", "assignment"],
          ["2", "assignment"],
        ]);
        expect(JSON.parse(events[1]!.data)).toMatchObject({
          cursor: "2",
          kind: "assignment",
          action: "upsert",
          service_id: "service-1",
        });
      } finally {
        first.close();
      }
      await call("PATCH", service("svc-001"), { token: admin, body: { name: "x" } }); // 3
      await call("PATCH", service("svc-003"), { token: admin, body: { name: "y" } }); // 4
      const again = await openStream({ lastEventId: "2", after: "0" });
      try {
        await call("PATCH", service("svc-004"), { token: admin, body: { name: "z" } }); // 5
        const events = await again.next(3);
        expect(events.map((e) => e.id)).toEqual(["3", "4", "5"]);
        expect(events.map((e) => JSON.parse(e.data).service_id)).toEqual([
          "svc-001",
          "svc-003",
          "svc-004",
        ]);
        // Nothing more arrives: no duplicates.
        expect(await again.next(1, 300).catch(() => [])).toEqual([]);
      } finally {
        again.close();
      }
    });
  });

  it("sends a heartbeat comment every 15 s on an idle stream", async () => {
    const controller = new AbortController();
    const res = await callRaw("GET", CHANGES, {
      token: admin,
      headers: { accept: "text/event-stream" },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const started = Date.now();
    let text = "";
    try {
      while (!text.includes(": heartbeat\n\n")) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } finally {
      controller.abort();
      await reader.cancel().catch(() => {});
    }
    expect(text).toMatch(/^retry: \d+\n: connected after 0\n\n: heartbeat\n\n$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(14_000);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it("ends an open stream at the next heartbeat once its token is revoked", async () => {
    const reader_ = await token({ sub: "stream-reader", scopes: ["assignments:read"] });
    const jti = JSON.parse(Buffer.from(reader_.split(".")[1]!, "base64url").toString()).jti;
    const controller = new AbortController();
    const res = await callRaw("GET", CHANGES, {
      token: reader_,
      headers: { accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    expect(text).toMatch(/^retry: \d+\n: connected after 0/);
    const revoked = await call("POST", `/v2/tokens/${jti}/revoke`, { token: admin });
    expect(revoked.status).toBe(200);
    const started = Date.now();
    let ended = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          ended = true;
          break;
        }
        text += decoder.decode(value, { stream: true });
      }
    } finally {
      controller.abort();
      await reader.cancel().catch(() => {});
    }
    expect(ended).toBe(true);
    // Ended at the heartbeat, without sending it.
    expect(text).not.toContain(": heartbeat");
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 30_000);

  it("limits open streams per token (10 by default, 429 beyond) and gives a place back when a stream ends", async () => {
    const busy = await token({ sub: "busy-reader", scopes: ["assignments:read"] });
    const other = await token({ sub: "other-reader", scopes: ["assignments:read"] });
    const open = async (bearer: string) => {
      const controller = new AbortController();
      const res = await callRaw("GET", CHANGES, {
        token: bearer,
        headers: { accept: "text/event-stream" },
        signal: controller.signal,
      });
      const close = async () => {
        controller.abort();
        await res.body?.cancel().catch(() => {});
      };
      onTestFinished(close);
      return { res, close };
    };
    const streams = [];
    for (let i = 0; i < 10; i++) {
      const stream = await open(busy);
      expect(stream.res.status).toBe(200);
      streams.push(stream);
    }
    const refused = await open(busy);
    expect(refused.res.status).toBe(429);
    expect(refused.res.headers.get("retry-after")).toBe("15");
    const body = (await refused.res.json()) as { message: string };
    expect(body.message).toMatch(/^Too many open change streams: this token has 10 open/);
    // The JSON page is not a stream: still answered.
    expect((await call("GET", CHANGES, { token: busy })).status).toBe(200);
    // Another token has its own places.
    const others = await open(other);
    expect(others.res.status).toBe(200);
    // Closing a stream gives its place back (the row goes as the stream ends).
    await streams[0]!.close();
    let reopened = await open(busy);
    for (let i = 0; reopened.res.status === 429 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      reopened = await open(busy);
    }
    expect(reopened.res.status).toBe(200);
  });

  describe("conditional GETs", () => {
    it("an assignment: its revision id as ETag, 304 while it is the active one", async () => {
      const first = await get(DOMAIN_DEFAULT);
      const etag = first.headers.get("etag")!;
      expect(etag).toBe(`"${first.body.assignment_id}"`);
      const again = await get(DOMAIN_DEFAULT, etag);
      expect(again.status).toBe(304);
      expect(again.text).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      // A change elsewhere in the domain leaves it alone.
      await put(serviceAssignment("service-1"), V2);
      expect((await get(DOMAIN_DEFAULT, etag)).status).toBe(304);
      const changed = await put(DOMAIN_DEFAULT, { ...V1, metadata: { note: "new" } });
      const after = await get(DOMAIN_DEFAULT, etag);
      expect(after.status).toBe(200);
      expect(after.headers.get("etag")).toBe(`"${changed.body.assignment_id}"`);
    });

    it("a revision by id: 304 while unchanged, 200 once it has been archived", async () => {
      const active = await get(DOMAIN_DEFAULT);
      const url = `/v2/assignments/${active.body.assignment_id}`;
      const first = await get(url);
      const etag = first.headers.get("etag")!;
      expect(etag).toBe(`"${active.body.assignment_id}"`);
      expect((await get(url, etag)).status).toBe(304);
      await put(DOMAIN_DEFAULT, { ...V1, metadata: { replaced: true } });
      const archived = await get(url, etag);
      expect(archived.status).toBe(200);
      expect(archived.body.status).toBe("archived");
      const archivedEtag = archived.headers.get("etag")!;
      expect(archivedEtag).not.toBe(etag);
      expect((await get(url, archivedEtag)).status).toBe(304);
    });

    it("a service's effective assignment: 304 when unchanged, 200 with a new ETag when its answer changes", async () => {
      const url = `${serviceAssignment("service-1")}/effective`;
      const first = await get(url);
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{16,}"$/);
      expect((await get(url, etag)).status).toBe(304);
      expect((await get(url, `"other", ${etag}`)).status).toBe(304);
      expect((await get(url, `W/${etag}`)).status).toBe(304);
      expect((await get(url, '"other"')).status).toBe(200);
      // Changes elsewhere in the domain: another key, another service.
      await put(DOMAIN_DEFAULT.replace("/default", "/eta"), {
        model_id: "eta-model",
        model_version: "1.0.0",
        metadata: { x: 1 },
      });
      await put(serviceAssignment("svc-002"), { ...V2, metadata: { y: 2 } });
      const still = await get(url, etag);
      expect(still.status).toBe(304);
      expect(still.headers.get("etag")).toBe(etag);
      // A change to this service's answer.
      const own = await put(serviceAssignment("service-1"), V2);
      const changed = await get(url, etag);
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        assignment_id: own.body.assignment_id,
        source: "service",
      });
      expect(changed.headers.get("etag")).not.toBe(etag);
      expect((await get(url, changed.headers.get("etag")!)).status).toBe(304);
    });

    it("the whole-domain read: 304 when unchanged, still 304 after a change that doesn't alter it, 200 after one that does", async () => {
      const first = await get(DOMAIN_EFFECTIVE);
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag")!;
      expect(first.headers.get("x-change-cursor")).toBe("0");
      expect((await get(DOMAIN_EFFECTIVE, etag)).status).toBe(304);
      await put(DOMAIN_DEFAULT.replace("/default", "/eta"), {
        model_id: "eta-model",
        model_version: "1.0.0",
        metadata: { x: 1 },
      });
      const still = await get(DOMAIN_EFFECTIVE, etag);
      expect(still.status).toBe(304);
      expect(still.headers.get("x-change-cursor")).toBe("1");
      await call("PATCH", service("svc-008"), { token: admin, body: { status: "departed" } });
      const changed = await get(DOMAIN_EFFECTIVE, etag);
      expect(changed.status).toBe(200);
      expect(changed.headers.get("etag")).not.toBe(etag);
      expect((changed.body as unknown as DomainPage).items.map((i) => i.service_id)).not.toContain(
        "svc-008",
      );
    });
  });

  describe("the whole-domain effective read", () => {
    it("lists every active service with its effective assignment, own first, else the default", async () => {
      const dflt = (await get(DOMAIN_DEFAULT)).body;
      const own = (await get(serviceAssignment("svc-002"))).body;
      const res = await call<DomainPage>("GET", DOMAIN_EFFECTIVE, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.next_cursor).toBeNull();
      const ids = [
        "service-1",
        "svc-001",
        "svc-002",
        "svc-003",
        "svc-004",
        "svc-005",
        "svc-006",
        "svc-007",
        "svc-008",
      ];
      expect(res.body.items.map((i) => i.service_id)).toEqual(ids); // svc-009 has departed
      expect(res.body.items[0]).toEqual({
        service_id: "service-1",
        source: "domain_default",
        assignment: dflt,
        contract_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(res.body.items[2]).toEqual({
        service_id: "svc-002",
        source: "service",
        assignment: own,
        contract_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      // Each item agrees with the single-service read.
      for (const item of res.body.items) {
        const single = await get(`${serviceAssignment(item.service_id)}/effective`);
        expect({
          ...item.assignment,
          source: item.source,
          contract_hash: item.contract_hash,
        }).toEqual(single.body);
      }
    });

    it("pages with the cursor and leaves out services with neither their own nor a default", async () => {
      const p1 = await call<DomainPage>("GET", `${DOMAIN_EFFECTIVE}?limit=4`, { token: admin });
      expect(p1.body.items.map((i) => i.service_id)).toEqual([
        "service-1",
        "svc-001",
        "svc-002",
        "svc-003",
      ]);
      const p2 = await call<DomainPage>(
        "GET",
        `${DOMAIN_EFFECTIVE}?limit=4&cursor=${p1.body.next_cursor}`,
        { token: admin },
      );
      expect(p2.body.items.map((i) => i.service_id)).toEqual([
        "svc-004",
        "svc-005",
        "svc-006",
        "svc-007",
      ]);
      const p3 = await call<DomainPage>(
        "GET",
        `${DOMAIN_EFFECTIVE}?limit=4&cursor=${p2.body.next_cursor}`,
        { token: admin },
      );
      expect(p3.body).toMatchObject({ items: [{ service_id: "svc-008" }], next_cursor: null });
      // No default for this key: only the service with its own assignment.
      await put(serviceAssignment("svc-004", "fresh"), V1);
      const fresh = await call<DomainPage>("GET", `${DOMAIN}/assignments/fresh/effective`, {
        token: admin,
      });
      expect(fresh.body.items.map((i) => [i.service_id, i.source])).toEqual([
        ["svc-004", "service"],
      ]);
      const none = await call<DomainPage>("GET", `${DOMAIN}/assignments/nothing/effective`, {
        token: admin,
      });
      expect(none.body).toEqual({ items: [], next_cursor: null });
    });

    it("sends a large answer gzipped to a client that accepts it, the same JSON either way", async () => {
      // As the production server says it does (scripts/server.mjs): it carries the app's encoding through.
      const passes = Symbol.for("model-console.host-passes-content-encoding");
      (globalThis as Record<symbol, unknown>)[passes] = true;
      onTestFinished(() => {
        delete (globalThis as Record<symbol, unknown>)[passes];
      });
      await tdb.database.query(
        `insert into services (client_id, domain_id, id, name, provided_features)
         select 'client-1', 'south_australia', 'bulk-' || lpad(g::text, 3, '0'), null, '{}'::jsonb
         from generate_series(1, 60) g`,
      );
      const plain = await call<DomainPage>("GET", DOMAIN_EFFECTIVE, { token: admin });
      expect(plain.body.items).toHaveLength(69);
      expect(plain.headers.get("content-encoding")).toBeNull();
      const zipped = await callRaw("GET", DOMAIN_EFFECTIVE, {
        token: admin,
        headers: { "accept-encoding": "gzip, deflate, br" },
      });
      expect(zipped.status).toBe(200);
      expect(zipped.headers.get("content-encoding")).toBe("gzip");
      expect(zipped.headers.get("x-model-console-content-encoding")).toBe("gzip");
      expect(zipped.headers.get("vary")).toMatch(/accept-encoding/i);
      expect(zipped.headers.get("etag")).toBe(plain.headers.get("etag"));
      const bytes = Buffer.from(await zipped.arrayBuffer());
      expect(bytes.length).toBeLessThan(plain.text.length / 5);
      expect(gunzipSync(bytes).toString("utf8")).toBe(plain.text);
    });

    it("leaves compression to the host when it does not carry the app's encoding (next dev, next start)", async () => {
      await tdb.database.query(
        `insert into services (client_id, domain_id, id, name, provided_features)
         select 'client-1', 'south_australia', 'bulk-' || lpad(g::text, 3, '0'), null, '{}'::jsonb
         from generate_series(1, 60) g`,
      );
      const answer = await callRaw("GET", DOMAIN_EFFECTIVE, {
        token: admin,
        headers: { "accept-encoding": "gzip" },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-encoding")).toBeNull();
      expect((await answer.json()).items).toHaveLength(69);
    });

    it("answers bad input with a clear 4xx", async () => {
      expectError(
        await call("GET", `${DOMAIN_EFFECTIVE}?limit=10001`, { token: admin }),
        400,
        /limit/,
      );
      expectError(
        await call("GET", `${DOMAIN_EFFECTIVE}?limit=ten`, { token: admin }),
        400,
        /limit/,
      );
      expectError(
        await call("GET", `${DOMAIN_EFFECTIVE}?cursor=garbage`, { token: admin }),
        400,
        /cursor/,
      );
      expectError(
        await call("GET", "/v2/clients/client-1/domains/nowhere/assignments/default/effective", {
          token: admin,
        }),
        404,
      );
      expectError(
        await call(
          "GET",
          "/v2/clients/nobody/domains/south_australia/assignments/default/effective",
          {
            token: admin,
          },
        ),
        404,
      );
    });
  });

  type Event = { id: string; event: string; data: string };

  async function openStream(options: { after?: string; lastEventId?: string }) {
    const controller = new AbortController();
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (options.lastEventId) headers["last-event-id"] = options.lastEventId;
    const res = await callRaw(
      "GET",
      `${CHANGES}${options.after !== undefined ? `?after=${options.after}` : ""}`,
      { token: admin, headers, signal: controller.signal },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const queue: Event[] = [];
    const parse = () => {
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":") || line === "") continue;
          const colon = line.indexOf(":");
          fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
        if (fields.data !== undefined)
          queue.push({ id: fields.id ?? "", event: fields.event ?? "", data: fields.data });
      }
    };
    return {
      /** The next n events, or a rejection after the timeout. */
      async next(n: number, timeoutMs = 5_000): Promise<Event[]> {
        const deadline = Date.now() + timeoutMs;
        while (queue.length < n) {
          const left = deadline - Date.now();
          if (left <= 0) throw new Error(`timed out with ${queue.length} of ${n} events`);
          const chunk = await Promise.race([
            reader.read(),
            new Promise<null>((r) => setTimeout(() => r(null), left)),
          ]);
          if (chunk === null) continue;
          if (chunk.done) throw new Error("stream ended");
          buffer += decoder.decode(chunk.value, { stream: true });
          parse();
        }
        return queue.splice(0, n);
      },
      close() {
        controller.abort();
        void reader.cancel().catch(() => {});
      },
    };
  }
});
