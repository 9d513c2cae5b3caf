// Issue 7 (audit): change reasons on every write, per-client required reasons, an append-only audit log, user
// changes recorded whole (never the password), and GET /v2/audit's filters and CSV export.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, DOMAIN_DEFAULT, SEED_PUT, token } from "../helpers/api";
import { CLIENT, DOMAIN, expectError, resetDemo, service, V1, V2 } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

type Entry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  client_id: string | null;
  request_id: string | null;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};
type List<T> = { items: T[]; next_cursor: string | null };
type Revision = { assignment_id: string; revision: number; change_reason: string | null };

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) throw new Error("CSV does not end with CRLF");
  return rows;
}

describe.each(DRIVERS)("audit trail on %s", (driver) => {
  let tdb: TestDatabase;
  let admin: string;
  let clientOneAdmin: string;
  let editor: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    admin = await token({ sub: "ops@example.com" });
    clientOneAdmin = await token({ sub: "c1-admin", clients: ["client-1"] });
    editor = await token({
      sub: "editor",
      scopes: ["assignments:read", "assignments:write", "services:read", "services:write"],
    });
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => resetDemo(tdb));

  const audit = async (query = "", auth = admin) => {
    const res = await call<List<Entry>>("GET", `/v2/audit${query}`, { token: auth });
    expect(res.status).toBe(200);
    return res.body;
  };
  const count = async (table: string) =>
    (await tdb.database.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;
  const put = (reason?: string, body: unknown = V2, auth = admin) =>
    call<Revision>("PUT", SEED_PUT, {
      token: auth,
      body,
      headers: reason === undefined ? {} : { "x-change-reason": reason },
    });

  describe("the audit log is append-only", () => {
    it("refuses UPDATE, DELETE and TRUNCATE of audit rows, keeping them unchanged", async () => {
      expect((await put("first")).status).toBe(200);
      const before = await tdb.database.query(`select * from audit_log order by id`);
      expect(before.length).toBeGreaterThan(0);
      await expect(
        tdb.database.query(`update audit_log set actor = 'someone-else'`),
      ).rejects.toThrow(/append-only: UPDATE/);
      await expect(tdb.database.query(`delete from audit_log`)).rejects.toThrow(
        /append-only: DELETE/,
      );
      await expect(tdb.database.query(`truncate audit_log`)).rejects.toThrow(
        /append-only: TRUNCATE/,
      );
      expect(await tdb.database.query(`select * from audit_log order by id`)).toEqual(before);
      // Inserting still works.
      await tdb.database.query(
        `insert into audit_log (actor, action, entity_type, entity_id) values ('x', 'test.insert', 'test', 'x')`,
      );
    });
  });

  describe("user.update records every change, never the password", () => {
    it("a name change and a password change each leave an entry whose before differs from its after", async () => {
      const created = await call<{ id: string; email: string }>("POST", "/v2/users", {
        token: admin,
        body: { email: "pat@example.com", name: "Pat", role: "viewer" },
      });
      expect(created.status).toBe(201);
      const secret = "correct horse battery staple";
      expect(
        (
          await call("PATCH", `/v2/users/${created.body.id}`, {
            token: admin,
            body: { name: "Patricia" },
            headers: { "x-change-reason": "legal name" },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await call("PATCH", `/v2/users/${created.body.id}`, {
            token: admin,
            body: { password: secret },
          })
        ).status,
      ).toBe(200);
      const entries = (await audit("?entity_type=user&entity_id=pat@example.com")).items;
      expect(entries.map((e) => [e.action, e.reason, e.before, e.after])).toEqual([
        [
          "user.update",
          null,
          { name: "Patricia", role: "viewer", disabled: false },
          {
            name: "Patricia",
            role: "viewer",
            disabled: false,
            password: "changed",
            must_change_password: true,
          },
        ],
        [
          "user.update",
          "legal name",
          { name: "Pat", role: "viewer", disabled: false },
          { name: "Patricia", role: "viewer", disabled: false },
        ],
        [
          "user.create",
          null,
          null,
          {
            email: "pat@example.com",
            name: "Pat",
            role: "viewer",
            disabled: false,
            must_change_password: true,
          },
        ],
      ]);
      for (const e of entries) expect(e.before).not.toEqual(e.after);
      const [hash] = await tdb.database.query<{ password_hash: string }>(
        `select password_hash from users where id = $1`,
        [created.body.id],
      );
      const raw = JSON.stringify(await tdb.database.query(`select * from audit_log`));
      expect(raw).not.toContain(secret);
      expect(raw).not.toContain(hash!.password_hash);
    });

    it("a role change records role before and after, with the request id", async () => {
      const created = await call<{ id: string }>("POST", "/v2/users", {
        token: admin,
        body: { email: "ed@example.com", role: "viewer" },
        headers: { "x-request-id": "req-new-ed" },
      });
      await call("PATCH", `/v2/users/${created.body.id}`, {
        token: admin,
        body: { role: "editor" },
        headers: { "x-request-id": "req-role-ed", "x-change-reason": "joins on-call" },
      });
      const [update, create] = (await audit("?entity_type=user&entity_id=ed@example.com")).items;
      expect(create).toMatchObject({ action: "user.create", request_id: "req-new-ed" });
      expect(update).toMatchObject({
        action: "user.update",
        actor: "ops@example.com",
        request_id: "req-role-ed",
        reason: "joins on-call",
        before: { role: "viewer" },
        after: { role: "editor" },
      });
    });
  });

  describe("change reasons", () => {
    it("keeps the reason on the revision and its audit entry, and shows it in history", async () => {
      const res = await put("  roll out route-aware model  ");
      expect(res.status).toBe(200);
      expect(res.body.change_reason).toBe("roll out route-aware model");
      const [entry] = (await audit("?action=assignment.upsert")).items;
      expect(entry).toMatchObject({
        reason: "roll out route-aware model",
        entity_id: "client-1/south_australia/service-1/default",
        after: {
          assignment_id: res.body.assignment_id,
          change_reason: "roll out route-aware model",
        },
      });
      const history = await call<List<Revision>>("GET", `${SEED_PUT}/revisions`, { token: admin });
      expect(history.body.items[0]).toMatchObject({
        assignment_id: res.body.assignment_id,
        change_reason: "roll out route-aware model",
      });
      // Without a reason: null on both.
      const again = await put(undefined, V1);
      expect(again.body.change_reason).toBeNull();
      expect((await audit("?action=assignment.upsert&limit=1")).items[0]!.reason).toBeNull();
    });

    it("puts the reason on the service patches a domain upsert applies", async () => {
      const res = await call("PUT", DOMAIN_DEFAULT, {
        token: admin,
        body: V1,
        headers: { "x-change-reason": "reset the default" },
      });
      expect(res.status).toBe(200);
      for (const e of (await audit()).items) expect(e.reason).toBe("reset the default");
    });

    it("decodes a percent-encoded UTF-8 reason; counts characters, not bytes", async () => {
      const text = "Zürich: ändern für 🚆 Züge — 50% rollout";
      const res = await put(encodeURIComponent(text));
      expect(res.status).toBe(200);
      expect(res.body.change_reason).toBe(text);
      // A "%" that is not an escape stays as it is.
      expect((await put("100% of stops", V1)).body.change_reason).toBe("100% of stops");
      // 500 characters of 4 bytes each (2,000 bytes of UTF-8) is within the limit.
      const emoji = "🚆".repeat(500);
      const long = await put(encodeURIComponent(emoji), V2);
      expect(long.status).toBe(200);
      expect(long.body.change_reason).toBe(emoji);
    });

    it("refuses a bad reason with a 400 that says what to fix, writing nothing", async () => {
      const audited = await count("audit_log");
      const revisions = await count("assignments");
      expectError(
        await put("x".repeat(501)),
        400,
        /501 characters long; the limit is 500 characters/,
      );
      expectError(await put(encodeURIComponent("🚆".repeat(501))), 400, /limit is 500 characters/);
      expectError(await put("line one%0Aline two"), 400, /control character/);
      expectError(await put("tab\there"), 400, /control character/);
      expectError(await put("caf\u00e9"), 400, /percent-encode the reason as UTF-8/);
      expectError(await put("%C3%28"), 400, /not percent-encoded UTF-8/);
      expect(await count("audit_log")).toBe(audited);
      expect(await count("assignments")).toBe(revisions);
    });

    it("treats a blank reason as none", async () => {
      const res = await put("   ");
      expect(res.status).toBe(200);
      expect(res.body.change_reason).toBeNull();
    });

    it("records the reason of registry, tenancy and token writes", async () => {
      const reason = { "x-change-reason": "quarterly cleanup" };
      expect(
        (
          await call("POST", "/v2/models", {
            token: admin,
            body: { model_id: "m-r" },
            headers: reason,
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await call("POST", `${CLIENT}/domains`, {
            token: admin,
            body: { domain_id: "d-r" },
            headers: reason,
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await call("POST", "/v2/tokens", {
            token: admin,
            body: { name: "ci", scopes: ["assignments:read"], clients: ["client-1"] },
            headers: reason,
          })
        ).status,
      ).toBe(201);
      const entries = (await audit()).items;
      expect(entries.map((e) => [e.action, e.reason])).toEqual([
        ["token.create", "quarterly cleanup"],
        ["domain.create", "quarterly cleanup"],
        ["model.create", "quarterly cleanup"],
      ]);
    });
  });

  describe("a client that requires change reasons", () => {
    const requireReasons = (value: boolean, headers: Record<string, string> = {}) =>
      call<Record<string, unknown>>("PATCH", CLIENT, {
        token: admin,
        body: { require_change_reason: value },
        headers,
      });

    it("is set by an admin, recorded in the audit log, and refuses writes without a reason", async () => {
      expect((await call("GET", CLIENT, { token: admin })).body).toMatchObject({
        require_change_reason: false,
      });
      // Switching it on is itself the first change that needs a reason.
      expectError(
        await requireReasons(true),
        422,
        /requires a reason for every change.*X-Change-Reason/,
      );
      const on = await requireReasons(true, { "x-change-reason": "SOX audit" });
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ client_id: "client-1", require_change_reason: true });
      const [entry] = (await audit("?action=client.patch")).items;
      expect(entry).toMatchObject({
        entity_type: "client",
        entity_id: "client-1",
        client_id: "client-1",
        reason: "SOX audit",
        before: { require_change_reason: false },
        after: { require_change_reason: true },
      });

      const audited = await count("audit_log");
      const revisions = await count("assignments");
      const svc = (await call("GET", service("svc-003"), { token: admin })).body;
      expectError(
        await put(undefined),
        422,
        /Client "client-1" requires a reason for every change/,
      );
      expectError(await put("   "), 422, /requires a reason/);
      expectError(
        await call("PATCH", service("svc-003"), { token: editor, body: { name: "renamed" } }),
        422,
        /requires a reason/,
      );
      expectError(
        await call("POST", `${DOMAIN}/services`, {
          token: editor,
          body: { service_id: "svc-new" },
        }),
        422,
        /requires a reason/,
      );
      // A dry run answers the same.
      expectError(
        await call("PUT", `${SEED_PUT}?dry_run=true`, { token: admin, body: V2 }),
        422,
        /requires a reason/,
      );
      expect(await count("audit_log")).toBe(audited);
      expect(await count("assignments")).toBe(revisions);
      expect((await call("GET", service("svc-003"), { token: admin })).body).toEqual(svc);

      // With a reason, the same writes go through.
      expect((await put("needed for the new timetable")).status).toBe(200);
      expect(
        (
          await call("PATCH", service("svc-003"), {
            token: editor,
            body: { name: "renamed" },
            headers: { "x-change-reason": "rename" },
          })
        ).status,
      ).toBe(200);
      // Other clients are unaffected.
      expect(
        (
          await call("POST", "/v2/clients/client-2/domains", {
            token: admin,
            body: { domain_id: "x" },
          })
        ).status,
      ).toBe(201);
      // Switching it off needs no reason under the new setting... but is recorded.
      expect((await requireReasons(false, { "x-change-reason": "audit over" })).status).toBe(200);
      expect((await put(undefined, V1)).status).toBe(200);
    });

    it("only admins may change the setting; bad bodies are 400", async () => {
      expectError(
        await call("PATCH", CLIENT, { token: editor, body: { require_change_reason: true } }),
        403,
        /"admin" scope/,
      );
      expectError(
        await call("PATCH", CLIENT, { token: admin, body: { require_change_reason: "yes" } }),
        400,
        /require_change_reason/,
      );
      expectError(
        await call("PATCH", CLIENT, { token: admin, body: { unknown: 1 } }),
        400,
        /unknown/i,
      );
      expectError(
        await call("PATCH", "/v2/clients/nope", { token: admin, body: { name: "x" } }),
        404,
        /Client "nope" not found/,
      );
    });

    it("can be set when the client is created", async () => {
      const res = await call("POST", "/v2/clients", {
        token: admin,
        body: { client_id: "strict", require_change_reason: true },
        headers: { "x-change-reason": "new regulated tenant" },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ require_change_reason: true });
      expectError(
        await call("POST", "/v2/clients/strict/domains", {
          token: admin,
          body: { domain_id: "d" },
        }),
        422,
        /Client "strict" requires a reason/,
      );
    });
  });

  describe("GET /v2/audit", () => {
    it("filters by actor, action, entity, client and time range; pages with a cursor", async () => {
      const t0 = new Date().toISOString();
      await put("one");
      await call("PATCH", service("svc-003"), { token: editor, body: { name: "n" } });
      await call("POST", "/v2/clients/client-2/domains", {
        token: admin,
        body: { domain_id: "x" },
      });
      const all = (await audit(`?since=${encodeURIComponent(t0)}`)).items;
      expect(all.map((e) => e.action)).toEqual([
        "domain.create",
        "service.patch",
        "assignment.upsert",
      ]);
      expect((await audit("?actor=editor")).items.map((e) => e.action)).toEqual(["service.patch"]);
      expect((await audit("?action=domain.create")).items.map((e) => e.client_id)).toEqual([
        "client-2",
      ]);
      expect(
        (await audit("?entity_type=service&entity_id=client-1/south_australia/svc-003")).items,
      ).toHaveLength(1);
      expect((await audit("?client_id=client-1")).items.map((e) => e.action)).toEqual([
        "service.patch",
        "assignment.upsert",
      ]);
      const until = all[1]!.at;
      expect(
        (await audit(`?until=${encodeURIComponent(until)}`)).items.map((e) => e.action),
      ).not.toContain("domain.create");
      expect((await audit(`?since=2999-01-01T00:00:00Z`)).items).toEqual([]);
      const p1 = await audit("?limit=2");
      expect(p1.items).toHaveLength(2);
      const p2 = await audit(`?limit=2&cursor=${p1.next_cursor}`);
      expect([...p1.items, ...p2.items].map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect(p2.next_cursor).toBeNull();
      // A caller limited to client-1 sees only client-1's entries.
      expect((await audit("", clientOneAdmin)).items.map((e) => e.client_id)).toEqual([
        "client-1",
        "client-1",
      ]);
      expectError(
        await call("GET", "/v2/audit?client_id=client-2", { token: clientOneAdmin }),
        403,
        /client "client-2"/,
      );
    });

    it("answers 400 for a bad filter", async () => {
      expectError(await call("GET", "/v2/audit?since=yesterday", { token: admin }), 400, /since/);
      expectError(await call("GET", "/v2/audit?action=DROP", { token: admin }), 400, /action/);
      expectError(await call("GET", "/v2/audit?cursor=abc", { token: admin }), 400, /cursor/);
    });

    it("exports CSV with RFC 4180 quoting and formula-safe cells", async () => {
      await put(encodeURIComponent('=HYPERLINK("http://evil", "click"), then "quotes"'));
      await call("POST", "/v2/models", {
        token: admin,
        body: { model_id: "m1", name: "+cmd|' /C calc'!A0", description: "@SUM(1)\nline two" },
        headers: { "x-change-reason": "-2+3" },
      });
      const res = await call("GET", "/v2/audit", {
        token: admin,
        headers: { accept: "text/csv" },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(res.headers.get("content-disposition")).toMatch(
        /^attachment; filename="audit-.*\.csv"$/,
      );
      const rows = parseCsv(res.text);
      expect(rows[0]).toEqual([
        "id",
        "at",
        "actor",
        "action",
        "entity_type",
        "entity_id",
        "client_id",
        "request_id",
        "reason",
        "before",
        "after",
      ]);
      expect(rows).toHaveLength(3);
      const [model, upsert] = [rows[1]!, rows[2]!];
      expect(model[3]).toBe("model.create");
      expect(model[8]).toBe("'-2+3");
      expect(JSON.parse(model[10]!)).toMatchObject({ name: "+cmd|' /C calc'!A0" });
      expect(upsert[8]).toBe(`'=HYPERLINK("http://evil", "click"), then "quotes"`);
      expect(upsert[6]).toBe("client-1");
      // The same through ?format=csv (a link in the browser), with filters.
      const filtered = await call("GET", "/v2/audit?format=csv&action=model.create", {
        token: admin,
      });
      expect(parseCsv(filtered.text)).toHaveLength(2);
    });

    it("streams an export larger than one page whole", async () => {
      await tdb.database.query(
        `insert into audit_log (actor, action, entity_type, entity_id, client_id)
         select 'bulk', 'test.bulk', 'test', 'e' || g, 'client-1' from generate_series(1, 1234) g`,
      );
      const res = await call("GET", "/v2/audit?format=csv&actor=bulk", { token: admin });
      const rows = parseCsv(res.text).slice(1);
      expect(rows).toHaveLength(1234);
      expect(new Set(rows.map((r) => r[0])).size).toBe(1234);
      expect(rows[0]![5]).toBe("e1234");
      expect(rows[1233]![5]).toBe("e1");
    });
  });

  // Consumers parse these entries, so an action's entries keep one shape: a create's `after` (and a domain
  // patch's) is the row as PostgreSQL's to_jsonb gives it (column names, its own timestamp text), the same JSON
  // the SQL of these writes has always recorded; a patch's `before` (and a client patch's `after`) is the wire shape.
  describe("registry and tenancy entries record what they always have", () => {
    const sqlJson = async (sql: string, params: unknown[]) =>
      (await tdb.database.query<{ j: Record<string, unknown> }>(sql, params))[0]!.j;
    const only = async (action: string, entityId: string) => {
      const entries = (await audit(`?action=${action}&entity_id=${encodeURIComponent(entityId)}`))
        .items;
      expect(entries).toHaveLength(1);
      return entries[0]!;
    };
    const keys = (o: Record<string, unknown> | null) => Object.keys(o ?? {}).sort();

    it("client.create, domain.create and domain.patch", async () => {
      const created = await call("POST", "/v2/clients", {
        token: admin,
        body: { client_id: "shape", name: "Shape" },
      });
      expect(created.status).toBe(201);
      const client = await only("client.create", "shape");
      expect(client.before).toBeNull();
      expect(keys(client.after)).toEqual([
        "client_id",
        "created_at",
        "name",
        "require_change_reason",
        "stale_after",
      ]);
      expect(client.after).toEqual(
        await sqlJson(
          `select to_jsonb(c) as j from (select id as client_id, name, require_change_reason,
           stale_after_seconds as stale_after, created_at from clients where id = $1) c`,
          ["shape"],
        ),
      );

      const domainRow = `select to_jsonb(d) as j from domains d where client_id = $1 and id = $2`;
      expect(
        (
          await call("POST", "/v2/clients/shape/domains", {
            token: admin,
            body: { domain_id: "d1" },
          })
        ).status,
      ).toBe(201);
      const domain = await only("domain.create", "shape/d1");
      expect(domain.before).toBeNull();
      const columns = [
        "change_policy",
        "client_id",
        "created_at",
        "id",
        "name",
        "status",
        "updated_at",
      ];
      expect(keys(domain.after)).toEqual(columns);
      expect(domain.after).toEqual(await sqlJson(domainRow, ["shape", "d1"]));

      const wire = (await call("GET", "/v2/clients/shape/domains/d1", { token: admin })).body;
      const patched = await call("PATCH", "/v2/clients/shape/domains/d1", {
        token: admin,
        body: { status: "inactive" },
      });
      expect(patched.status).toBe(200);
      const patch = await only("domain.patch", "shape/d1");
      expect(patch.before).toEqual(wire);
      expect(keys(patch.before)).toEqual([
        "change_policy",
        "client_id",
        "created_at",
        "domain_id",
        "name",
        "service_count",
        "status",
        "updated_at",
      ]);
      expect(keys(patch.after)).toEqual(columns);
      expect(patch.after).toEqual(await sqlJson(domainRow, ["shape", "d1"]));
      expect(patch.after).toMatchObject({ status: "inactive" });
    });

    it("client.patch records the wire shape before and after", async () => {
      const before = (await call("GET", CLIENT, { token: admin })).body;
      const res = await call("PATCH", CLIENT, { token: admin, body: { name: "Renamed" } });
      expect(res.status).toBe(200);
      const entry = await only("client.patch", "client-1");
      expect(entry.before).toEqual(before);
      expect(entry.after).toEqual(res.body);
    });

    it("model.create and model_version.create", async () => {
      expect(
        (
          await call("POST", "/v2/models", {
            token: admin,
            body: { model_id: "shape-model", description: "Shapes" },
          })
        ).status,
      ).toBe(201);
      const model = await only("model.create", "shape-model");
      expect(model.before).toBeNull();
      expect(keys(model.after)).toEqual(["created_at", "created_by", "description", "id", "name"]);
      expect(model.after).toEqual(
        await sqlJson(`select to_jsonb(m) as j from models m where id = $1`, ["shape-model"]),
      );

      const features = [
        { key: "route", type: "string", required: true, description: "Route id" },
        { key: "stops", type: "integer", required: false, default: 10 },
      ];
      expect(
        (
          await call("POST", "/v2/models/shape-model/versions", {
            token: admin,
            body: { version: "1.0.0", features },
          })
        ).status,
      ).toBe(201);
      const version = await only("model_version.create", "shape-model@1.0.0");
      expect(version.before).toBeNull();
      expect(keys(version.after)).toEqual([
        "contract_hash",
        "created_at",
        "created_by",
        "description",
        "features",
        "model_id",
        "version",
      ]);
      expect(version.after).toEqual(
        await sqlJson(
          `select to_jsonb(v) as j from (select v.model_id, v.version, v.description, v.features, v.contract_hash,
           v.created_by, v.created_at from model_versions v where v.model_id = $1 and v.version = $2) v`,
          ["shape-model", "1.0.0"],
        ),
      );
    });
  });
});
