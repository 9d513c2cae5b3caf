// The hot statements (the seed PUT's context read and write, the effective reads) are prepared once per connection,
// and after five runs PostgreSQL may keep one generic plan for the connection's life, chosen with whatever
// statistics the tables had then. Two such plans scaled with the table: the write archived the active revision by
// walking every active revision of the table (assignments_one_active_per_key with the revision's id as a filter:
// ~5,000 buffers per PUT at 5,000 keys), and the effective read walked every revision the key ever had (decision
// 127). Here, on a fresh demo database (the small tables such plans are made on) with one key given a history, each
// generic plan is run (EXPLAIN ANALYZE, rolled back) and must not read a row of `assignments` only to drop it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, ne, notExists, sql } from "drizzle-orm";
import { render, type Rendered } from "@/db/statement";
import { assignments, services } from "@/db/schema";
import type { Database } from "@/db/types";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-database";
import type { Actor } from "@/lib/shared/scopes";
import { upsertAssignment, writeStatement, type UpsertInput } from "./upsert-assignment";
import { contextStatement } from "./plan-upsert";
import type { PlannedPin } from "@/lib/features/decide-upsert";
import { readEffectiveAssignment } from "./read-assignments";
import { readDomainEffective } from "./domain-effective";

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  "Rows Removed by Filter"?: number;
  "Actual Loops"?: number;
  Plans?: PlanNode[];
};

const HISTORY = 60;
const ACTOR: Actor = {
  subject: "plan-check",
  scopes: new Set(["admin"]),
  clients: "*",
  via: "token",
};

/** Every node of a plan, depth first. */
function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** Each read of `assignments` that scanned the table or dropped rows it read, as a line a failing test prints. */
function wastefulReads(plan: PlanNode): string[] {
  return nodes(plan)
    .filter((n) => n["Relation Name"] === "assignments" && n["Node Type"].endsWith("Scan"))
    .filter((n) => n["Node Type"] === "Seq Scan" || (n["Rows Removed by Filter"] ?? 0) > 0)
    .map(
      (n) =>
        `${n["Node Type"]} via ${n["Index Name"] ?? "-"}: ${n["Rows Removed by Filter"] ?? 0} rows read and dropped (filter ${n.Filter})`,
    );
}

/** The statement a read function sends first (it is given no rows back, so it stops there). */
async function firstStatement(read: (database: Database) => Promise<unknown>): Promise<Rendered> {
  let first: Rendered | undefined;
  const recorder = {
    run: async (statement: Rendered) => {
      first ??= statement;
      return [];
    },
  } as unknown as Database;
  await read(recorder).catch(() => undefined);
  if (!first) throw new Error("the read sent no statement");
  return first;
}

describe.each(DRIVERS)("the hot statements' generic plans (%s)", (driver) => {
  let t: TestDatabase;
  let input: Omit<UpsertInput, "ifMatch">;
  let active: { assignment_id: string; revision: number };
  let pinnable: string;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    const [row] = await t.database.db
      .select()
      .from(assignments)
      .where(and(eq(assignments.status, "active"), ne(assignments.scope, "")))
      .limit(1);
    if (!row) throw new Error("the demo has no service assignment");
    input = {
      clientId: row.clientId,
      domainId: row.domainId,
      serviceId: row.scope,
      key: row.assignmentKey,
      body: {
        model_id: row.modelId,
        model_version: row.modelVersion,
        status: "active",
        settings: {},
        metadata: {},
      },
      actor: ACTOR,
      meta: { requestId: "plan-check", reason: null },
    };
    // A key that has been written often: its earlier revisions are what a bad plan walks.
    let outcome;
    for (let i = 0; i < HISTORY; i++) {
      outcome = await upsertAssignment(t.database, {
        ...input,
        body: { ...input.body, metadata: { i } },
      });
    }
    active = { assignment_id: outcome!.row.assignment_id, revision: outcome!.row.revision };
    // A service of the domain without its own revision of the key: one a domain default's write could pin.
    const [free] = await t.database.db
      .select({ id: services.id })
      .from(services)
      .where(
        and(
          eq(services.clientId, row.clientId),
          eq(services.domainId, row.domainId),
          notExists(
            t.database.db
              .select({ one: sql`1` })
              .from(assignments)
              .where(
                and(
                  eq(assignments.clientId, services.clientId),
                  eq(assignments.domainId, services.domainId),
                  eq(assignments.scope, services.id),
                  eq(assignments.assignmentKey, row.assignmentKey),
                ),
              ),
          ),
        ),
      )
      .limit(1);
    if (!free) throw new Error("every service of the demo domain has its own revision of the key");
    pinnable = free.id;
  }, 120_000);

  afterAll(async () => {
    await t?.drop();
  });

  /** Runs the statement under the generic plan PostgreSQL would keep, rolls it back, and returns that plan. */
  async function genericPlan(statement: Rendered): Promise<PlanNode> {
    let plan: PlanNode | undefined;
    const name = `plan_check_${Math.random().toString(36).slice(2)}`;
    await t.database
      .transaction(async (q) => {
        await q("set local plan_cache_mode = force_generic_plan");
        await q(`prepare ${name} as ${statement.text}`);
        // EXECUTE takes no bind parameters: PostgreSQL quotes the values as literals (quote_nullable).
        const asText = statement.params.map((v) =>
          v === null || v === undefined ? null : Array.isArray(v) ? `{${v.join(",")}}` : String(v),
        );
        const [{ args }] = (await q<{ args: string }>(
          "select string_agg(quote_nullable(v), ', ' order by n) as args from unnest($1::text[]) with ordinality as t(v, n)",
          [asText],
        )) as [{ args: string }];
        const [row] = await q<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
          `explain (analyze, format json) execute ${name}(${args})`,
        );
        plan = row!["QUERY PLAN"][0].Plan;
        await q(`deallocate ${name}`);
        throw new Error("rolled back");
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== "rolled back") throw error;
      });
    return plan!;
  }

  it("the write archives the key's active revision without walking other revisions", async () => {
    const plan = await genericPlan(render(writeStatement(input, active, active.revision + 1, [])));
    expect(wastefulReads(plan)).toEqual([]);
  });

  it("the write that patches and pins services (its own variant) walks no other revision either", async () => {
    const statement = render(
      writeStatement(
        input,
        active,
        active.revision + 1,
        [{ id: input.serviceId!, before: {}, after: {} }],
        [{ service_id: pinnable, model_id: "m", model_version: "1" } satisfies PlannedPin],
      ),
    );
    expect(statement.name).not.toBe(render(writeStatement(input, active, 1, [])).name);
    expect(wastefulReads(await genericPlan(statement))).toEqual([]);
  });

  it("the context read reaches the key's revisions without walking the others", async () => {
    expect(wastefulReads(await genericPlan(render(contextStatement(input))))).toEqual([]);
  });

  it("the context read of a body that names services (its own variant) walks no other revision either", async () => {
    const named = {
      ...input,
      body: {
        ...input.body,
        service_updates: [{ service_id: input.serviceId!, static_features: {} }],
      },
    };
    const statement = render(contextStatement(named));
    expect(statement.name).not.toBe(render(contextStatement(input)).name);
    expect(wastefulReads(await genericPlan(statement))).toEqual([]);
  });

  it("the effective read of a service finds its active revision without walking the key's history", async () => {
    const statement = await firstStatement((database) =>
      readEffectiveAssignment(database, {
        clientId: input.clientId,
        domainId: input.domainId,
        serviceId: input.serviceId!,
        key: input.key,
      }),
    );
    expect(wastefulReads(await genericPlan(statement))).toEqual([]);
  });

  it("the whole-domain effective read finds active revisions without walking histories", async () => {
    const statement = await firstStatement((database) =>
      readDomainEffective(
        database,
        { clientId: input.clientId, domainId: input.domainId, key: input.key },
        { limit: 100 },
      ),
    );
    expect(wastefulReads(await genericPlan(statement))).toEqual([]);
  });
});
