// A change request's changes are decided together (lib/server/change-requests/plan-changes.ts): every change's
// context, the domains' effective entries and the domain defaults' services in at most three statements, whatever
// the number of changes; each change decided exactly as the same write alone (the PUT's read and decision) would
// be. And a request of 200 changes (the most a request holds) opens, is approved and applies, each change once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runOnQuery } from "@/db/statement";
import type { Query } from "@/db/types";
import { assignmentPutBody } from "@/lib/schemas/assignments";
import { readDecision } from "@/lib/server/assignments/plan-upsert";
import { planChanges, targetOf, type ChangeSpec } from "@/lib/server/change-requests/plan-changes";
import { call, token } from "../helpers/api";
import { CLIENT, resetDemo } from "../helpers/demo";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../helpers/test-database";

const SERVICES = 250;
const sid = (i: number) => `svc-${String(i).padStart(4, "0")}`;
const V2 = { model_id: "example-model", model_version: "2.0.0" };

/** Domain "batch" of client-1: 250 services (the first three lack `route`), its default on 1.0.0, one approval. */
async function seedBatchDomain(tdb: TestDatabase): Promise<void> {
  const q = tdb.database.query;
  await q(`insert into domains (client_id, id, name, change_policy)
    values ('client-1', 'batch', 'Batch', '{"required_approvals":1,"allow_self_approval":false}')`);
  await q(
    `insert into services (client_id, domain_id, id, provided_features)
     select 'client-1', 'batch', 'svc-' || lpad(i::text, 4, '0'),
       case when i <= 3 then jsonb_build_object('mode', 'bus')
            else jsonb_build_object('route', 'r' || i, 'mode', 'bus') end
     from generate_series(1, $1::int) i`,
    [SERVICES],
  );
  await q(`insert into assignments (assignment_id, client_id, domain_id, scope, assignment_key, revision,
      model_id, model_version, status, created_by)
    values (gen_random_uuid(), 'client-1', 'batch', '', 'default', 1, 'example-model', '1.0.0', 'active', 'test')`);
}

const spec = (
  over: Partial<Omit<ChangeSpec, "body">> & { body: Record<string, unknown> },
): ChangeSpec => ({
  domain_id: "batch",
  service_id: null,
  assignment_key: "default",
  if_match: null,
  ...over,
  body: assignmentPutBody.parse(over.body),
});

describe.each(DRIVERS)("a change request's changes decided together on %s", (driver) => {
  let tdb: TestDatabase;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(driver);
    const editor = (sub: string) =>
      token({
        sub,
        scopes: ["assignments:read", "assignments:write", "services:read", "services:write"],
        clients: ["client-1"],
      });
    alice = await editor("alice");
    bob = await editor("bob");
  });
  afterAll(async () => tdb.drop());
  beforeEach(async () => {
    await resetDemo(tdb);
    await seedBatchDomain(tdb);
  });

  it("decides 200 changes in three statements, each as the same write alone would be decided", async () => {
    const specs: ChangeSpec[] = [
      // A domain default move fixing two of its three blockers (svc-0003 still blocks).
      spec({
        body: {
          ...V2,
          service_updates: [
            { service_id: sid(1), static_features: { route: "r1" } },
            { service_id: sid(2), static_features: { route: "r2" } },
          ],
        },
      }),
      // A service's own version, patching its own features.
      spec({
        service_id: sid(4),
        body: { ...V2, service_updates: [{ service_id: sid(4), static_features: { stops: 3 } }] },
      }),
      // Another domain: South Australia's svc-002 retires its own assignment (back to the default).
      spec({
        domain_id: "south_australia",
        service_id: "svc-002",
        body: { ...V2, status: "archived" },
      }),
      // A refusal: an unknown model.
      spec({ service_id: sid(5), body: { model_id: "no-such-model", model_version: "1.0.0" } }),
      // Another key's domain default, and service overrides of it.
      spec({ assignment_key: "eta", body: { model_id: "eta-model", model_version: "1.0.0" } }),
      ...Array.from({ length: 195 }, (_, i) =>
        spec({ service_id: sid(10 + i), assignment_key: "eta", body: V2 }),
      ),
    ];
    expect(specs).toHaveLength(200);

    await tdb.database.transaction(async (q) => {
      const statements: string[] = [];
      const counting: Query = (text, params, name) => {
        statements.push(text);
        return q(text, params, name);
      };
      const planned = await planChanges(counting, "client-1", specs);
      expect(statements.length).toBeLessThanOrEqual(3);
      expect(planned).toHaveLength(200);

      // The same change alone, through the PUT's own read and decision.
      for (const [i, p] of planned.entries()) {
        const { decision, context } = await readDecision(
          runOnQuery(q),
          targetOf("client-1", specs[i]!),
        );
        expect(p.spec).toBe(specs[i]);
        expect(p.active?.assignment_id ?? null).toBe(context.active?.assignment_id ?? null);
        expect(p.latest?.revision ?? null).toBe(context.latest?.revision ?? null);
        if (decision.kind === "refusal") {
          expect(p.stored.impact.refusal).toEqual({
            status: decision.status,
            message: decision.message,
          });
          continue;
        }
        expect(p.stored.impact.refusal).toBeNull();
        expect(p.stored.impact.blocking_services).toEqual(decision.blocking);
        expect(p.stored.impact.unchanged).toBe(decision.unchanged);
        expect(p.patches).toEqual(decision.patches);
        expect(p.pins).toEqual(decision.pins);
      }

      // What a reviewer reads: no batch service has its own assignment yet, so all 250 move with a default.
      const [move, own, retire, refused, eta] = planned.map((p) => p.stored.impact);
      expect(move!.moves[0]!.service_ids).toHaveLength(SERVICES);
      expect(move!.blocking_services.map((b) => b.service_id)).toEqual([sid(3)]);
      expect(move!.service_updates.map((u) => u.service_id)).toEqual([sid(1), sid(2)]);
      expect(own!.moves).toMatchObject([
        { from: { model_version: "1.0.0" }, to: { model_version: "2.0.0" }, service_ids: [sid(4)] },
      ]);
      expect(retire!.moves).toMatchObject([
        {
          from: { model_version: "2.0.0", source: "service" },
          to: { model_version: "1.0.0", source: "domain_default" },
          service_ids: ["svc-002"],
        },
      ]);
      expect(refused!.refusal?.message).toMatch(/no-such-model/);
      expect(eta!.moves[0]!.service_ids).toHaveLength(SERVICES);
    });
  });

  it("opens, approves and applies a request of 200 changes: every change written once, linked to it", async () => {
    const body = {
      title: "Batch to 2.0.0",
      changes: [
        {
          domain_id: "batch",
          assignment_key: "default",
          body: {
            ...V2,
            service_updates: [1, 2, 3].map((i) => ({
              service_id: sid(i),
              static_features: { route: `r${i}` },
            })),
          },
        },
        ...Array.from({ length: 199 }, (_, i) => ({
          domain_id: "batch",
          service_id: sid(10 + i),
          assignment_key: "eta",
          body: V2,
        })),
      ],
    };
    const opened = await call<{ id: string; impact_hash: string; blocked: boolean }>(
      "POST",
      `${CLIENT}/change-requests`,
      { token: alice, body },
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body.blocked).toBe(false);
    const approved = await call<{ status: string }>(
      "POST",
      `${CLIENT}/change-requests/${opened.body.id}/reviews`,
      { token: bob, body: { decision: "approve", impact_hash: opened.body.impact_hash } },
    );
    expect(approved.body.status).toBe("approved");
    const applied = await call<{ status: string }>(
      "POST",
      `${CLIENT}/change-requests/${opened.body.id}/apply`,
      { token: alice },
    );
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    expect(applied.body.status).toBe("applied");

    const rows = await tdb.database.query<{
      scope: string;
      assignment_key: string;
      model_version: string;
      revision: number;
      status: string;
    }>(
      `select scope, assignment_key, model_version, revision, status from assignments
       where change_request_id = $1 order by assignment_key, scope`,
      [opened.body.id],
    );
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.status === "active" && r.model_version === "2.0.0")).toBe(true);
    expect(rows[0]).toMatchObject({ scope: "", assignment_key: "default", revision: 2 });
    expect(rows.slice(1).map((r) => r.scope)).toEqual(
      Array.from({ length: 199 }, (_, i) => sid(10 + i)),
    );
    expect(rows.slice(1).every((r) => r.assignment_key === "eta" && r.revision === 1)).toBe(true);
    const patched = await tdb.database.query<{ id: string; route: string }>(
      `select id, provided_features->>'route' as route from services
       where domain_id = 'batch' and id = any($1::text[]) order by id`,
      [[sid(1), sid(2), sid(3)]],
    );
    expect(patched).toEqual([
      { id: sid(1), route: "r1" },
      { id: sid(2), route: "r2" },
      { id: sid(3), route: "r3" },
    ]);
    // Applied once: a second apply is refused and writes nothing more.
    const again = await call("POST", `${CLIENT}/change-requests/${opened.body.id}/apply`, {
      token: alice,
    });
    expect(again.status).toBe(409);
    const [{ n }] = (await tdb.database.query<{ n: number }>(
      `select count(*)::int as n from assignments where change_request_id = $1`,
      [opened.body.id],
    )) as [{ n: number }];
    expect(n).toBe(200);
  });
});
