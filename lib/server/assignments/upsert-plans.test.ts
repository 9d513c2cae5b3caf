// The seed PUT's statements are prepared once per connection, and after five runs PostgreSQL may keep one generic
// plan for the connection's life, chosen with whatever statistics the tables had then. Such a plan once archived the
// active revision by walking every active revision of the table (an index scan of assignments_one_active_per_key
// with the revision's id only as a filter): ~5,000 buffers and 4 ms per PUT with 5,000 keys, growing with the
// table (decision 127). Here, on a fresh demo database (the small tables such a plan is made on), each generic
// plan of the write and of the context read must reach `assignments` through an index condition.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, and, ne } from "drizzle-orm";
import { render } from "@/db/statement";
import { assignments } from "@/db/schema";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-database";
import type { UpsertInput } from "./upsert-assignment";
import { writeStatement } from "./upsert-assignment";
import { contextStatement } from "./plan-upsert";

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  Plans?: PlanNode[];
};

/** Every node of a plan, depth first. */
function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** How each plan node reads `assignments`, as a line a failing test prints. */
function assignmentReads(plan: PlanNode): string[] {
  return nodes(plan)
    .filter((n) => n["Relation Name"] === "assignments" && n["Node Type"].endsWith("Scan"))
    .map(
      (n) =>
        `${n["Node Type"]} via ${n["Index Name"] ?? "-"}; cond: ${n["Index Cond"] ?? "none"}; filter: ${n.Filter ?? "none"}`,
    );
}

describe.each(DRIVERS)("the seed PUT's generic plans (%s)", (driver) => {
  let t: TestDatabase;
  let input: Omit<UpsertInput, "ifMatch">;
  let active: { assignment_id: string; revision: number };

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    const [row] = await t.database.db
      .select()
      .from(assignments)
      .where(and(eq(assignments.status, "active"), ne(assignments.scope, "")))
      .limit(1);
    if (!row) throw new Error("the demo has no service assignment");
    active = { assignment_id: row.assignmentId, revision: row.revision };
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
        metadata: { plan: "check" },
      },
      actor: { subject: "plan-check", scopes: ["admin"], clients: ["*"], kind: "token" },
      meta: { requestId: "plan-check", reason: null },
    } as unknown as Omit<UpsertInput, "ifMatch">;
  });

  afterAll(async () => {
    await t?.drop();
  });

  /** The generic plan PostgreSQL would keep for a statement (nothing runs: EXPLAIN without ANALYZE). */
  let plans = 0;
  async function genericPlan(statement: { text: string; params: unknown[] }): Promise<PlanNode> {
    const name = `plan_check_${++plans}`;
    return t.database.transaction(async (q) => {
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
        `explain (format json) execute ${name}(${args})`,
      );
      await q(`deallocate ${name}`);
      return row!["QUERY PLAN"][0].Plan;
    });
  }

  it("the write archives the active revision through an index condition on its key", async () => {
    const plan = await genericPlan(render(writeStatement(input, active, active.revision + 1, [])));
    const reads = assignmentReads(plan);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read).not.toMatch(/^Seq Scan|cond: none/);
  });

  it("the context read reaches the key's revisions through index conditions", async () => {
    const plan = await genericPlan(render(contextStatement(input)));
    const reads = assignmentReads(plan);
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read).not.toMatch(/^Seq Scan|cond: none/);
  });
});
