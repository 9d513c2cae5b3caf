// Reports of observed state: what services say they run, per assignment key. Each report replaces the service's
// latest one for the key in place (no revisions, no audit rows); a report that changes the service's sync state
// also writes a change row (kind "service", action "sync_changed") to the domain's feed, so webhooks hear of it.
// Read, decide (lib/features/sync-state.ts), write: a constant number of statements whatever the number of reports.
import "server-only";
import { DryRunRollback } from "@/db/dry-run";
import type { Database, Statement } from "@/db/types";
import { applyReport, type SyncState } from "@/lib/features/sync-state";
import type { ObservationItem, ObservationResult } from "@/lib/schemas/observations";
import { now as clockNow } from "@/lib/server/clock";
import { desiredOf, observedOf, type SyncColumns } from "./sync-columns";
import { ApiError, badRequest, notFound, retryableAbort, unprocessable } from "@/lib/shared/errors";
import type { Actor } from "@/lib/shared/scopes";

export type ReportInput = {
  clientId: string;
  domainId: string;
  actor: Actor;
  /** Valid items (checked by their schema); `index` is each one's position in the request. */
  items: readonly { index: number; item: ObservationItem }[];
  dryRun?: boolean;
};

/** Each item's answer: its result, or the error it would get on its own. */
export type ReportOutcome = { index: number; result?: ObservationResult; error?: ApiError };

type ContextRow = {
  ord: number | string;
  client_exists: boolean;
  stale_after: number | null;
  domain_status: "active" | "inactive" | null;
  service_status: "active" | "departed" | null;
  version_exists: boolean;
  ra_found: boolean;
  ra_applies: boolean;
  ra_model_id: string | null;
  ra_model_version: string | null;
} & SyncColumns<Date | string>;

// Raw SQL (docs/decisions/091-observed-state-statements.md). The reports come in as parallel arrays; per report:
// its service, what that service should run (own active assignment, else the domain default) with the version's
// contract hash, its latest report, whether the reported version is registered, and the reported assignment_id's
// revision. The client and domain checks are uncorrelated subqueries, evaluated once.
export const CONTEXT_SQL = `with i as (
    select * from unnest($3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[])
      with ordinality as i(service_id, assignment_key, assignment_id, model_id, model_version, ord)
  )
  select i.ord,
    exists(select 1 from clients c where c.id = $1) as client_exists,
    (select c.stale_after_seconds from clients c where c.id = $1) as stale_after,
    (select d.status from domains d where d.client_id = $1 and d.id = $2) as domain_status,
    s.status as service_status,
    e.assignment_id as desired_id, e.model_id as desired_model_id, e.model_version as desired_model_version,
    e.created_at as desired_created_at, mv.contract_hash as desired_hash,
    o.assignment_id as o_assignment_id, o.model_id as o_model_id, o.model_version as o_model_version,
    o.contract_hash as o_contract_hash, o.state as o_state, o.reported_at as o_reported_at, o.sync as o_sync,
    o.sync_since as o_sync_since,
    exists(select 1 from model_versions rv where rv.model_id = i.model_id and rv.version = i.model_version) as version_exists,
    ra.assignment_id is not null as ra_found,
    coalesce(ra.scope in (i.service_id, '') and ra.assignment_key = i.assignment_key, false) as ra_applies,
    ra.model_id as ra_model_id, ra.model_version as ra_model_version
  from i
  -- Each lookup is by its primary or unique key, per report: "limit 1" keeps each lateral subquery from being
  -- flattened into a join that a planner without statistics (a freshly filled table) runs as a 10,000 × 10,000 filter.
  left join lateral (
    select s.status from services s where s.client_id = $1 and s.domain_id = $2 and s.id = i.service_id limit 1
  ) s on true
  left join lateral (
    select a.assignment_id, a.model_id, a.model_version, a.created_at
    from assignments a
    where a.client_id = $1 and a.domain_id = $2 and a.scope in (i.service_id, '')
      and a.assignment_key = i.assignment_key and a.status = 'active'
    order by (a.scope = '') asc limit 1
  ) e on true
  left join model_versions mv on mv.model_id = e.model_id and mv.version = e.model_version
  left join lateral (
    select o.* from observations o
    where o.client_id = $1 and o.domain_id = $2 and o.service_id = i.service_id and o.assignment_key = i.assignment_key
    limit 1
  ) o on true
  left join lateral (
    select ra.* from assignments ra
    where ra.assignment_id = i.assignment_id and ra.client_id = $1 and ra.domain_id = $2 limit 1
  ) ra on true
  order by i.ord`;

// One statement: upsert every kept report, then (only for the reports that changed a sync state) move the domain's
// change head by their number and insert their change rows, numbered in request order, and notify the listeners.
// The head's row lock orders this with every other writer of the domain until commit (decision 014).
export const WRITE_SQL = `with input as (
    select * from unnest($3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[],
      $10::text[], $11::text[], $12::timestamptz[], $13::text[], $14::boolean[])
      with ordinality as x(service_id, assignment_key, assignment_id, model_id, model_version, contract_hash, state,
        message, sync, sync_since, previous_sync, changed, ord)
  ), up as (
    insert into observations as o (client_id, domain_id, service_id, assignment_key, assignment_id, model_id,
      model_version, contract_hash, state, message, reported_at, reported_by, sync, sync_since)
    select $1, $2, service_id, assignment_key, assignment_id, model_id, model_version, contract_hash, state, message,
      $15, $16, sync, sync_since
    from input
    on conflict (client_id, domain_id, service_id, assignment_key) do update set
      assignment_id = excluded.assignment_id, model_id = excluded.model_id, model_version = excluded.model_version,
      contract_hash = excluded.contract_hash, state = excluded.state, message = excluded.message,
      reported_at = excluded.reported_at, reported_by = excluded.reported_by, sync = excluded.sync,
      sync_since = excluded.sync_since
    returning 1
  ), n as (
    select count(*)::bigint as c from input where changed
  ), head as (
    insert into domain_change_heads as h (client_id, domain_id, seq)
    select $1, $2, n.c from n where n.c > 0
    on conflict (client_id, domain_id) do update set seq = h.seq + excluded.seq
    returning h.seq
  ), feed as (
    insert into changes (client_id, domain_id, seq, at, kind, action, assignment_key, service_id, actor, sync, previous_sync)
    select $1, $2, head.seq - n.c + row_number() over (order by input.ord), $15, 'service', 'sync_changed',
      input.assignment_key, input.service_id, $16, input.sync, input.previous_sync
    from input, head, n where input.changed
    returning seq
  )
  select (select count(*) from up) as written, (select count(*) from feed) as published,
    (select pg_notify('domain_changes', json_build_object('c', $1::text, 'd', $2::text, 's', head.seq)::text) from head) as notified`;

const at = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

function contextStatement(input: ReportInput): Statement {
  const items = input.items.map((i) => i.item);
  return {
    name: "observations_context_v2",
    text: CONTEXT_SQL,
    params: [
      input.clientId,
      input.domainId,
      items.map((i) => i.service_id),
      items.map((i) => i.assignment_key),
      items.map((i) => i.assignment_id ?? null),
      items.map((i) => i.model_id),
      items.map((i) => i.model_version),
    ],
  };
}

// A batch's statements are planned with the cost of 10,000 index lookups, which makes PostgreSQL compile them (JIT):
// ~60 ms of compiling for ~150 ms of running. Off for this transaction only.
const NO_JIT = "set_config('jit', 'off', true)";

/** Locks: a batch excludes every other report to the domain; a single report only others about its service. */
function lockStatement(input: ReportInput): Statement {
  const domain = `observed:${input.clientId}/${input.domainId}`;
  const first = input.items[0]?.item;
  if (input.items.length === 1 && first) {
    return {
      name: "observed_lock_service_v2",
      text: `select ${NO_JIT}, pg_advisory_xact_lock_shared(hashtextextended($1, 0)), pg_advisory_xact_lock(hashtextextended($2, 0))`,
      params: [domain, `${domain}/${first.service_id}`],
    };
  }
  return {
    name: "observed_lock_domain_v2",
    text: `select ${NO_JIT}, pg_advisory_xact_lock(hashtextextended($1, 0))`,
    params: [domain],
  };
}

/** An item's problem, or null when it can be kept. */
function itemProblem(
  input: ReportInput,
  item: ObservationItem,
  row: ContextRow,
  duplicateOf: number | undefined,
): ApiError | null {
  if (duplicateOf !== undefined) {
    return badRequest(
      `Service "${item.service_id}" reports key "${item.assignment_key}" twice in this body (also item ${duplicateOf}): send one report per service and key`,
    );
  }
  if (row.service_status === null)
    return notFound(`Service "${item.service_id}" not found in domain "${input.domainId}"`);
  if (row.service_status === "departed") {
    return unprocessable(
      `Service "${item.service_id}" has departed domain "${input.domainId}": it runs nothing, and its reports are not kept`,
    );
  }
  if (!row.version_exists) {
    return unprocessable(
      `Model "${item.model_id}" has no version "${item.model_version}" in the registry: report the model and version the service loaded, as its effective read names them`,
    );
  }
  if (item.assignment_id !== undefined) {
    if (!row.ra_found || !row.ra_applies) {
      return unprocessable(
        `assignment_id "${item.assignment_id}" is not a revision of key "${item.assignment_key}" for service "${item.service_id}" or its domain default: report the assignment_id of the service's effective read, or leave it out`,
      );
    }
    if (row.ra_model_id !== item.model_id || row.ra_model_version !== item.model_version) {
      return unprocessable(
        `assignment_id "${item.assignment_id}" assigns ${row.ra_model_id}@${row.ra_model_version}, not ${item.model_id}@${item.model_version}: report what the service loaded`,
      );
    }
  }
  return null;
}

/**
 * Stores the reports and answers each one: its sync state after the report, the state before it, whether it
 * changed. Unknown client or domain: 404; inactive domain: 422 (nothing written). A bad item is answered with its
 * error and the others are kept. A dry run answers the same and writes nothing.
 */
export async function reportObservations(
  database: Database,
  input: ReportInput,
): Promise<ReportOutcome[]> {
  const reportedAt = clockNow();
  try {
    return await database.batchTransaction<ReportOutcome[], ContextRow>(
      { locks: lockStatement(input), read: contextStatement(input) },
      async ({ opening, run, finish }) => {
        const first = opening[0];
        if (!first?.client_exists) throw notFound(`Client "${input.clientId}" not found`);
        if (first.domain_status === null)
          throw notFound(`Domain "${input.domainId}" not found in client "${input.clientId}"`);
        if (first.domain_status !== "active")
          throw unprocessable(`Domain "${input.domainId}" is not active: it takes no reports`);
        const staleAfterMs = (first.stale_after ?? 600) * 1000;

        const outcomes: ReportOutcome[] = [];
        const kept: {
          item: ObservationItem;
          sync: SyncState;
          since: Date;
          previous: SyncState;
          changed: boolean;
        }[] = [];
        const seen = new Map<string, number>();
        input.items.forEach(({ index, item }, i) => {
          const row = opening[i]!;
          const key = `${item.service_id}\u0000${item.assignment_key}`;
          const problem = itemProblem(input, item, row, seen.get(key));
          if (!seen.has(key)) seen.set(key, index);
          if (problem) {
            outcomes.push({ index, error: problem });
            return;
          }
          const desired = desiredOf(row, at);
          const previous = observedOf(row, at);
          const decided = applyReport({
            desired,
            previous,
            report: {
              assignment_id: item.assignment_id ?? null,
              model_id: item.model_id,
              model_version: item.model_version,
              contract_hash: item.contract_hash ?? null,
              state: item.state,
            },
            now: reportedAt,
            staleAfterMs,
          });
          kept.push({ item, ...decided });
          outcomes.push({
            index,
            result: {
              service_id: item.service_id,
              assignment_key: item.assignment_key,
              sync: decided.sync,
              since: decided.since.toISOString(),
              last_seen: reportedAt.toISOString(),
              previous_sync: decided.previous,
              changed: decided.changed,
            },
          });
        });
        if (kept.length === 0) return outcomes;
        const write = writeStatement(input, kept, reportedAt);
        if (input.dryRun) {
          await run(write);
          throw new DryRunRollback(outcomes);
        }
        await finish(write);
        return outcomes;
      },
    );
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as ReportOutcome[];
    if (error instanceof ApiError) throw error;
    const aborted = retryableAbort(
      error,
      "The database aborted these reports because of a concurrent write; retry the request",
    );
    if (aborted) throw aborted;
    // A service that departed between the read and the write (its row is kept, so no foreign key fires): nothing
    // else is expected here.
    throw error;
  }
}

function writeStatement(
  input: ReportInput,
  kept: readonly {
    item: ObservationItem;
    sync: SyncState;
    since: Date;
    previous: SyncState;
    changed: boolean;
  }[],
  reportedAt: Date,
): Statement {
  return {
    name: "observations_write_v1",
    text: WRITE_SQL,
    params: [
      input.clientId,
      input.domainId,
      kept.map((k) => k.item.service_id),
      kept.map((k) => k.item.assignment_key),
      kept.map((k) => k.item.assignment_id ?? null),
      kept.map((k) => k.item.model_id),
      kept.map((k) => k.item.model_version),
      kept.map((k) => k.item.contract_hash ?? null),
      kept.map((k) => k.item.state),
      kept.map((k) => k.item.message ?? null),
      kept.map((k) => k.sync),
      kept.map((k) => k.since.toISOString()),
      kept.map((k) => k.previous),
      kept.map((k) => k.changed),
      reportedAt.toISOString(),
      input.actor.subject,
    ],
  };
}
