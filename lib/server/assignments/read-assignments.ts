// Reads of assignment revisions: lists, the active revision of a key, its history, one revision by id,
// and the effective assignment of a service (now or at a past time).
import "server-only";
import { and, desc, eq, exists, gt, lt, or, sql, type SQL } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import type { z } from "zod";
import {
  assignments,
  clients,
  domainChangeHeads,
  domains,
  modelVersions,
  services,
} from "@/db/schema";
import { prepared } from "@/db/statement";
import type { Database, Run } from "@/db/types";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import { notFound, unprocessable } from "@/lib/shared/errors";
import type { Actor } from "@/lib/shared/scopes";
import { canTouchClient } from "@/lib/shared/scopes";
import type {
  Assignment,
  AssignmentRevision,
  EffectiveAssignment,
  assignmentListQuery,
} from "@/lib/schemas/assignments";
import type { paginationQuery } from "@/lib/schemas/common";
import {
  a,
  aliased,
  assignmentFields,
  assignmentSelectList,
  revisionFields,
  toAssignmentRow,
  toRevisionRow,
  type AssignmentDbRow,
} from "./assignment-row";
import { parseUpcoming, upcomingForService } from "./upcoming";

/** A domain of a client. */
export type DomainRef = { clientId: string; domainId: string };

/** A domain (serviceId null: its defaults) or one of its services: where an assignment key lives. */
export type ScopeRef = DomainRef & { serviceId: string | null };

/** A key in a scope: what the reads of one assignment key take. */
type KeyRef = ScopeRef & { key: string };

type Page = z.infer<typeof paginationQuery>;

const builder = new QueryBuilder();

/**
 * 404s for a missing client, domain or (for service scope) service, in one statement. Built with the query
 * builder and run by a statement runner, so the hot effective read (which holds only that) shares it.
 */
export async function assertScopeExists(run: Run, scope: ScopeRef): Promise<void> {
  const domain = builder
    .select({ one: sql`1` })
    .from(domains)
    .where(and(eq(domains.clientId, clients.id), eq(domains.id, scope.domainId)));
  const service = builder
    .select({ one: sql`1` })
    .from(services)
    .where(
      and(
        eq(services.clientId, clients.id),
        eq(services.domainId, scope.domainId),
        eq(services.id, scope.serviceId ?? ""),
      ),
    );
  const statement = builder
    .select({
      domain: sql<boolean>`${exists(domain)}`.as("domain"),
      service: sql<boolean>`${exists(service)}`.as("service"),
    })
    .from(clients)
    .where(eq(clients.id, scope.clientId))
    .getSQL();
  const [row] = await run<{ domain: boolean; service: boolean }>(statement);
  if (!row) throw notFound(`Client "${scope.clientId}" not found`);
  if (!row.domain)
    throw notFound(`Domain "${scope.domainId}" not found in client "${scope.clientId}"`);
  if (scope.serviceId !== null && !row.service)
    throw notFound(`Service "${scope.serviceId}" not found in domain "${scope.domainId}"`);
}

/** The revisions of one scope (`''` is the domain default's). */
function inScope(scope: ScopeRef): SQL {
  return and(
    eq(assignments.clientId, scope.clientId),
    eq(assignments.domainId, scope.domainId),
    eq(assignments.scope, scope.serviceId ?? ""),
  )!;
}

/** The scope as messages name it. */
function scopeName(scope: ScopeRef): string {
  return scope.serviceId === null ? `domain "${scope.domainId}"` : `service "${scope.serviceId}"`;
}

export async function listAssignments(
  database: Database,
  scope: ScopeRef,
  options: z.infer<typeof assignmentListQuery> & Page,
): Promise<{ items: Assignment[]; next_cursor: string | null }> {
  const after = decodeCursor(options.cursor, ["string", "number"]) as [string, number] | null;
  const rows = await database.db
    .select(assignmentFields)
    .from(assignments)
    .where(
      and(
        inScope(scope),
        options.status === "all" ? undefined : eq(assignments.status, options.status),
        // After the cursor in (assignment_key, revision desc) order.
        after
          ? or(
              gt(assignments.assignmentKey, after[0]),
              and(eq(assignments.assignmentKey, after[0]), lt(assignments.revision, after[1])),
            )
          : undefined,
      ),
    )
    .orderBy(assignments.assignmentKey, desc(assignments.revision))
    .limit(options.limit + 1);
  if (rows.length === 0) await assertScopeExists(database.run, scope);
  const page = pageOf(rows, options.limit, (r) => [r.assignment_key, r.revision]);
  return { items: page.items.map(toAssignmentRow), next_cursor: page.next_cursor };
}

/** The active revision and the domain's change cursor it was read at (one statement, prepared per connection). */
export async function readActiveAssignment(
  database: Database,
  ref: KeyRef,
): Promise<{ row: Assignment; version: number }> {
  const domainVersion = sql<number>`coalesce((${database.db
    .select({ seq: domainChangeHeads.seq })
    .from(domainChangeHeads)
    .where(
      and(
        eq(domainChangeHeads.clientId, assignments.clientId),
        eq(domainChangeHeads.domainId, assignments.domainId),
      ),
    )}), 0)`.mapWith(Number);
  const [row] = await database.db
    .select({ ...assignmentFields, domain_version: domainVersion })
    .from(assignments)
    .where(
      and(inScope(ref), eq(assignments.assignmentKey, ref.key), eq(assignments.status, "active")),
    )
    .prepare("active_assignment_v3")
    .execute();
  if (row) return { row: toAssignmentRow(row), version: row.domain_version };
  await assertScopeExists(database.run, ref);
  throw notFound(
    `No active assignment "${ref.key}" for ${scopeName(ref)}; see .../assignments/${ref.key}/revisions for its history`,
  );
}

export async function listRevisions(
  database: Database,
  ref: KeyRef,
  options: Page,
): Promise<{ items: AssignmentRevision[]; next_cursor: string | null }> {
  const after = decodeCursor(options.cursor, ["number"]) as [number] | null;
  const rows = await database.db
    .select({ ...assignmentFields, ...revisionFields })
    .from(assignments)
    .where(
      and(
        inScope(ref),
        eq(assignments.assignmentKey, ref.key),
        after ? lt(assignments.revision, after[0]) : undefined,
      ),
    )
    .orderBy(desc(assignments.revision))
    .limit(options.limit + 1);
  if (rows.length === 0) {
    await assertScopeExists(database.run, ref);
    if (!after)
      throw notFound(`Assignment key "${ref.key}" has no revisions for ${scopeName(ref)}`);
  }
  const page = pageOf(rows, options.limit, (r) => [r.revision]);
  return { items: page.items.map(toRevisionRow), next_cursor: page.next_cursor };
}

export async function getAssignmentById(
  database: Database,
  input: { actor: Actor; assignmentId: string },
): Promise<AssignmentRevision> {
  const [row] = await database.db
    .select({ ...assignmentFields, ...revisionFields })
    .from(assignments)
    .where(eq(assignments.assignmentId, input.assignmentId));
  // A revision of a client the caller may not touch is reported as missing, so ids don't leak across tenants.
  if (!row || !canTouchClient(input.actor, row.client_id))
    throw notFound(`Assignment revision "${input.assignmentId}" not found`);
  return toRevisionRow(row);
}

// The service's own active assignment for the key, else the domain default (now, or at a past time), with the
// domain's change cursor. Rendered once and prepared once per connection: job launchers ask this in a loop.
// Two statements, not one with `?at=` as a parameter: the current read names `status = 'active'` in its own
// text, so even a generic plan reaches the key's one active revision through assignments_one_active_per_key; with
// the condition inside a CASE, the plan walked every revision the key ever had (3,000 revisions of a hot key:
// 2,500 buffers, ~5 ms per read after each write; decision 127). A read at a past time walks the key's history.
function effectiveAssignmentStatement(name: string, at: boolean) {
  const names = ["clientId", "domainId", "serviceId", "key", ...(at ? ["at" as const] : [])];
  return prepared(name, names, (v) => {
    const h = domainChangeHeads;
    const s = services;
    const mv = modelVersions;
    return sql`select ${assignmentSelectList()}, case when ${a.scope} = '' then 'domain_default' else 'service' end as source,
       (select ${mv.contractHash} from ${mv}
         where ${mv.modelId} = ${a.modelId} and ${mv.version} = ${a.modelVersion}) as contract_hash,
       coalesce((select ${h.seq} from ${h} where ${h.clientId} = ${v.clientId} and ${h.domainId} = ${v.domainId}), 0) as domain_version,
       ${at ? sql`null::json` : upcomingForService(v.clientId, v.domainId, v.serviceId, v.key)} as upcoming
     from ${aliased(a)}
     where ${a.clientId} = ${v.clientId} and ${a.domainId} = ${v.domainId} and ${a.scope} in (${v.serviceId}, '') and ${a.assignmentKey} = ${v.key}
       -- A departed service runs nothing now; its past is still answerable with ?at=.
       and exists(select 1 from ${s} where ${s.clientId} = ${v.clientId} and ${s.domainId} = ${v.domainId} and ${s.id} = ${v.serviceId}
                  ${at ? sql`` : sql`and ${s.status} = 'active'`})
       and ${
         at
           ? sql`${a.createdAt} <= ${v.at}::timestamptz and (${a.activeUntil} is null or ${a.activeUntil} > ${v.at}::timestamptz)`
           : sql`${a.status} = 'active'`
       }
     order by (${a.scope} = '') asc
     limit 1`;
  });
}
const effectiveNow = effectiveAssignmentStatement("effective_assignment_v6", false);
const effectiveAt = effectiveAssignmentStatement("effective_assignment_at_v1", true);

/** A service's key: what the effective read takes. */
export type ServiceKeyRef = ScopeRef & { serviceId: string; key: string };

/**
 * The service's own active assignment for the key, else the domain default; with `at`, the revisions that
 * were active at that time (a revision is active from created_at until it is archived).
 */
export async function getEffectiveAssignment(
  database: Database,
  ref: ServiceKeyRef,
  options: { at?: string } = {},
): Promise<EffectiveAssignment> {
  return (await readEffectiveAssignment(database, ref, options)).row;
}

/** getEffectiveAssignment and the domain's change cursor it was read at: one prepared statement. */
export async function readEffectiveAssignment(
  database: Database,
  ref: ServiceKeyRef,
  { at }: { at?: string } = {},
): Promise<{ row: EffectiveAssignment; version: number }> {
  const { key, ...scope } = ref;
  const { clientId, domainId, serviceId } = scope;
  const rows = await database.run<
    AssignmentDbRow & {
      source: "service" | "domain_default";
      contract_hash: string;
      domain_version: number | string;
      upcoming: unknown;
    }
  >((at ? effectiveAt : effectiveNow)({ clientId, domainId, serviceId, key, at: at ?? null }));
  const row = rows[0];
  if (row) {
    const upcoming = parseUpcoming(row.upcoming);
    return {
      row: {
        ...toAssignmentRow(row),
        source: row.source,
        contract_hash: row.contract_hash,
        ...(upcoming ? { upcoming } : {}),
      },
      version: Number(row.domain_version),
    };
  }
  await assertScopeExists(database.run, scope);
  if (!at) {
    const [svc] = await database.db
      .select({ status: services.status })
      .from(services)
      .where(
        and(
          eq(services.clientId, clientId),
          eq(services.domainId, domainId),
          eq(services.id, serviceId),
        ),
      );
    if (svc?.status === "departed") {
      throw unprocessable(
        `Service "${scope.serviceId}" has departed domain "${scope.domainId}" and runs nothing; ask with ?at=<time> for what it ran before`,
      );
    }
  }
  throw notFound(
    `Service "${scope.serviceId}" has no effective assignment "${key}"${at ? ` at ${at}` : ""}: neither its own nor a domain default`,
  );
}
