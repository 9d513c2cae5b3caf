// Change requests at scale (issue 16's measure): open, approve and apply a request of 200 changes over a
// 10,000-service domain on PostgreSQL, in process (the use cases, no HTTP), with the time of each step.
//
//   npm run bench:change-requests
//   SERVICES=10000 CHANGES=200 BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres
import pg from "pg";
import { openDatabase } from "@/db/open";
import {
  applyChangeRequest,
  getChangeRequest,
  openChangeRequest,
  reviewChangeRequest,
} from "@/lib/server/change-requests/change-requests";
import { planChanges, type ChangeSpec } from "@/lib/server/change-requests/plan-changes";
import { changeRequestCreateBody } from "@/lib/schemas/change-requests";
import type { Actor } from "@/lib/shared/scopes";

const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SERVICES = Number(process.env.SERVICES ?? 10_000);
const CHANGES = Number(process.env.CHANGES ?? 200);
const actor = (subject: string): Actor => ({
  subject,
  scopes: new Set(["assignments:write", "services:write"]),
  clients: "*",
  via: "token",
});
const meta = { requestId: "bench" };

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await fn();
  console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
  return result;
}

async function main(): Promise<void> {
  const name = `mac_cr_${Date.now().toString(36)}`;
  await withAdmin((admin) => admin.query(`create database ${name}`));
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const database = await openDatabase({ url: u.toString(), seedDemo: true, poolSize: 10 });
  try {
    await database.query(
      `insert into domains (client_id, id, name) values ('client-1', 'big', 'Big')`,
    );
    await database.query(
      `insert into services (client_id, domain_id, id, provided_features)
       select 'client-1', 'big', 'svc-' || lpad(i::text, 5, '0'), jsonb_build_object('route', 'r' || i, 'mode', 'bus')
       from generate_series(1, $1::int) i`,
      [SERVICES],
    );
    await database.query(
      `insert into assignments (assignment_id, client_id, domain_id, scope, assignment_key, revision, model_id,
         model_version, status, created_by)
       values (gen_random_uuid(), 'client-1', 'big', '', 'default', 1, 'example-model', '1.0.0', 'active', 'bench')`,
    );
    await database.query(
      `update domains set change_policy = '{"required_approvals":1,"allow_self_approval":false}'
       where client_id = 'client-1' and id = 'big'`,
    );
    // One domain default move (its impact lists every service) and CHANGES - 1 service overrides.
    const body = changeRequestCreateBody.parse({
      title: "Bench",
      changes: [
        {
          domain_id: "big",
          assignment_key: "default",
          body: { model_id: "example-model", model_version: "2.0.0" },
        },
        ...Array.from({ length: CHANGES - 1 }, (_, i) => ({
          domain_id: "big",
          service_id: `svc-${String(i + 1).padStart(5, "0")}`,
          assignment_key: "eta",
          body: { model_id: "example-model", model_version: "2.0.0" },
        })),
      ],
    });
    const opened = await timed(`open (${CHANGES} changes, ${SERVICES} services)`, () =>
      openChangeRequest(database, { actor: actor("author"), meta, clientId: "client-1", body }),
    );
    console.log(
      `stored changes JSON: ${(JSON.stringify(opened.changes).length / 1024).toFixed(0)} KiB`,
    );
    await timed("read (GET one)", () =>
      getChangeRequest(database, { clientId: "client-1", id: opened.id }),
    );
    // The decision alone (what open and apply both run), rolled back.
    const specs: ChangeSpec[] = body.changes.map((c) => ({
      domain_id: c.domain_id,
      service_id: c.service_id ?? null,
      assignment_key: c.assignment_key,
      body: c.body,
      if_match: null,
    }));
    for (const round of [1, 2])
      await timed(`plan only (decide ${CHANGES} changes, run ${round})`, () =>
        database.transaction((q) => planChanges(q, "client-1", specs)),
      );
    await timed("approve", () =>
      reviewChangeRequest(database, {
        actor: actor("reviewer"),
        meta,
        clientId: "client-1",
        id: opened.id,
        body: { decision: "approve", impact_hash: opened.impact_hash },
      }),
    );
    const applied = await timed("apply (decide again + write, one transaction)", () =>
      applyChangeRequest(database, {
        actor: actor("author"),
        meta,
        clientId: "client-1",
        id: opened.id,
      }),
    );
    const [{ n }] = await database.query<{ n: number }>(
      `select count(*)::int as n from assignments where change_request_id = $1`,
      [applied.id],
    );
    console.log(`status ${applied.status}, ${n} revisions written`);
  } finally {
    await database.close();
    await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
  }
}

void main();
