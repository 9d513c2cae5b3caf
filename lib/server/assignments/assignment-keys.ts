// The assignment keys in use in a domain, each with its active domain default and how many services override it.
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { assignments } from "@/db/schema";
import type { Database } from "@/db/types";
import type { AssignmentKeySummary } from "@/lib/schemas/assignment-keys";
import { assignmentFields, toAssignmentRow, type AssignmentDbRow } from "./assignment-row";
import { assertScopeExists, type DomainRef } from "./read-assignments";

export async function listAssignmentKeys(
  database: Database,
  domain: DomainRef,
): Promise<{ items: AssignmentKeySummary[] }> {
  const { clientId, domainId } = domain;
  const { db } = database;
  const keys = db.$with("keys").as(
    db
      .select({
        assignmentKey: assignments.assignmentKey,
        overrideCount: sql<number>`count(*) filter (where ${assignments.scope} <> '')::int`.as(
          "override_count",
        ),
      })
      .from(assignments)
      .where(
        and(
          eq(assignments.clientId, clientId),
          eq(assignments.domainId, domainId),
          eq(assignments.status, "active"),
        ),
      )
      .groupBy(assignments.assignmentKey),
  );
  const rows = await db
    .with(keys)
    .select({
      assignmentKey: keys.assignmentKey,
      overrideCount: keys.overrideCount,
      domainDefault: assignmentFields,
    })
    .from(keys)
    .leftJoin(
      assignments,
      and(
        eq(assignments.clientId, clientId),
        eq(assignments.domainId, domainId),
        eq(assignments.scope, ""),
        eq(assignments.assignmentKey, keys.assignmentKey),
        eq(assignments.status, "active"),
      ),
    )
    .orderBy(keys.assignmentKey);
  if (rows.length === 0) await assertScopeExists(database.run, { ...domain, serviceId: null });
  return {
    items: rows.map((r) => ({
      assignment_key: r.assignmentKey,
      // Left-joined: every column null when the key has no domain default (its computed columns make Drizzle
      // type each field nullable rather than the whole object).
      domain_default: r.domainDefault?.assignment_id
        ? toAssignmentRow(r.domainDefault as AssignmentDbRow)
        : null,
      override_count: Number(r.overrideCount),
    })),
  };
}
