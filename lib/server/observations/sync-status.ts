// The sync state of services against what they should run, for any set of (client, domain, key) targets in one
// statement: the status route reads one target, a rollout's gates read one per domain of a wave.
import "server-only";
import type { Database, Query } from "@/db/types";
import { countSync, syncState, type SyncState } from "@/lib/features/sync-state";
import type { ServiceSyncStatus, SyncCounts } from "@/lib/schemas/observations";
import { now as clockNow } from "@/lib/server/clock";
import { desiredOf, observedOf, type SyncColumns } from "./sync-columns";

export type SyncTarget = { clientId: string; domainId: string; key: string };

/** One service of a target: what it should run, what it reported, and the sync state now. */
export type TargetSyncStatus = SyncTarget & {
  /** False when the client or domain does not exist (the target then has no services). */
  exists: boolean;
  services: ServiceSyncStatus[];
  counts: SyncCounts;
};

type Row = {
  ord: number | string;
  domain_exists: boolean;
  stale_after: number | null;
  service_id: string | null;
  desired_source: "service" | "domain_default" | null;
  desired_revision: number | null;
  o_message: string | null;
  o_reported_by: string | null;
} & SyncColumns<number>;

// Raw SQL (docs/decisions/091-observed-state-statements.md): the targets come in as parallel arrays (unnest), so one
// statement answers any number of them. Per target: one row for the target itself (service_id null: does the domain
// exist, the client's stale_after), then every active service that should run something for the key or has reported
// about it, with its effective assignment (own, else the domain default), that version's contract hash and its
// latest report.
export const SYNC_STATUS_SQL = `with t as materialized (
    -- Each target with its domain default (once per target, not once per service).
    select t.*, dflt.assignment_id as d_id, dflt.model_id as d_model_id, dflt.model_version as d_model_version,
      dflt.revision as d_revision, dflt.created_at as d_created_at
    from unnest($1::text[], $2::text[], $3::text[]) with ordinality as t(client_id, domain_id, assignment_key, ord)
    left join lateral (
      select d.assignment_id, d.model_id, d.model_version, d.revision, d.created_at
      from assignments d
      where d.client_id = t.client_id and d.domain_id = t.domain_id and d.scope = ''
        and d.assignment_key = t.assignment_key and d.status = 'active'
      limit 1
    ) dflt on true
  )
  select t.ord, exists(select 1 from domains d where d.client_id = t.client_id and d.id = t.domain_id) as domain_exists,
    (select c.stale_after_seconds from clients c where c.id = t.client_id) as stale_after,
    null::text as service_id, null::uuid as desired_id, null::text as desired_source, null::text as desired_model_id,
    null::text as desired_model_version, null::int as desired_revision, null::float8 as desired_created_at,
    null::text as desired_hash, null::uuid as o_assignment_id, null::text as o_model_id, null::text as o_model_version,
    null::text as o_contract_hash, null::text as o_state, null::text as o_message, null::float8 as o_reported_at,
    null::text as o_reported_by, null::text as o_sync, null::float8 as o_sync_since
  from t
  union all
  select t.ord, null, null, s.id, e.assignment_id, e.source, e.model_id, e.model_version, e.revision,
    (extract(epoch from e.created_at) * 1000)::float8,
    mv.contract_hash, o.assignment_id, o.model_id, o.model_version, o.contract_hash, o.state, o.message,
    (extract(epoch from o.reported_at) * 1000)::float8, o.reported_by, o.sync,
    (extract(epoch from o.sync_since) * 1000)::float8
  from t
  join services s on s.client_id = t.client_id and s.domain_id = t.domain_id and s.status = 'active'
  -- Each service's own assignment and report by their unique keys ("limit 1" keeps those lookups parameterised
  -- even where the planner has no statistics yet, e.g. right after a domain was filled).
  left join lateral (
    select a.assignment_id, a.model_id, a.model_version, a.revision, a.created_at
    from assignments a
    where a.client_id = s.client_id and a.domain_id = s.domain_id and a.scope = s.id
      and a.assignment_key = t.assignment_key and a.status = 'active'
    limit 1
  ) own on true
  cross join lateral (
    select coalesce(own.assignment_id, t.d_id) as assignment_id,
      case when own.assignment_id is not null then 'service' when t.d_id is not null then 'domain_default' end as source,
      coalesce(own.model_id, t.d_model_id) as model_id, coalesce(own.model_version, t.d_model_version) as model_version,
      coalesce(own.revision, t.d_revision) as revision, coalesce(own.created_at, t.d_created_at) as created_at
  ) e
  left join model_versions mv on mv.model_id = e.model_id and mv.version = e.model_version
  left join lateral (
    select o.* from observations o
    where o.client_id = s.client_id and o.domain_id = s.domain_id and o.service_id = s.id
      and o.assignment_key = t.assignment_key
    limit 1
  ) o on true
  where e.assignment_id is not null or o.service_id is not null
  order by 1, 4 nulls first`;

// Timestamps travel as epoch milliseconds (a float the driver reads fast; 30,000 timestamp texts per 10,000 services
// cost more to parse than the statement took to run).
const iso = (ms: number): Date => new Date(ms);

/** The rows of one service as the status answers them, with the sync state at `now`. */
function toStatus(r: Row, now: Date, staleAfterMs: number): ServiceSyncStatus {
  const desired = desiredOf(r, iso);
  const observed = observedOf(r, iso);
  const s = syncState({ desired, observed, now, staleAfterMs });
  return {
    service_id: r.service_id!,
    desired: desired
      ? {
          assignment_id: desired.assignment_id,
          source: r.desired_source!,
          model_id: desired.model_id,
          model_version: desired.model_version,
          revision: r.desired_revision!,
          contract_hash: desired.contract_hash,
        }
      : null,
    observed: observed
      ? {
          assignment_id: observed.assignment_id,
          model_id: observed.model_id,
          model_version: observed.model_version,
          contract_hash: observed.contract_hash,
          state: observed.state,
          message: r.o_message,
          reported_at: observed.reported_at.toISOString(),
          reported_by: r.o_reported_by!,
        }
      : null,
    sync: s.sync,
    since: s.since?.toISOString() ?? null,
    last_seen: s.last_seen?.toISOString() ?? null,
  };
}

/** Counts per state and the synced share (100 % of nothing: an empty target holds no gate back). */
export function syncCountsOf(services: readonly { sync: SyncState }[]): SyncCounts {
  const counts = countSync(services.map((s) => s.sync));
  const total = services.length;
  return {
    total,
    ...counts,
    synced_percent: total === 0 ? 100 : Math.round((counts.synced / total) * 10_000) / 100,
  };
}

/**
 * The sync state of every service of each target (in the order given), at the server clock's now: one statement
 * whatever the number of targets and services. Services are those that should run something for the key or have
 * reported about it, sorted by id.
 */
export async function readSyncStatus(
  database: Database | { query: Query },
  targets: readonly SyncTarget[],
  options: { now?: Date } = {},
): Promise<TargetSyncStatus[]> {
  if (targets.length === 0) return [];
  const now = options.now ?? clockNow();
  const rows = await database.query<Row>(
    SYNC_STATUS_SQL,
    [targets.map((t) => t.clientId), targets.map((t) => t.domainId), targets.map((t) => t.key)],
    "sync_status_v3",
  );
  const out: TargetSyncStatus[] = targets.map((t) => ({
    ...t,
    exists: false,
    services: [],
    counts: syncCountsOf([]),
  }));
  let staleAfterMs = 0;
  for (const r of rows) {
    const target = out[Number(r.ord) - 1]!;
    if (r.service_id === null) {
      target.exists = r.domain_exists && r.stale_after !== null;
      staleAfterMs = (r.stale_after ?? 600) * 1000;
      continue;
    }
    target.services.push(toStatus(r, now, staleAfterMs));
  }
  for (const t of out) {
    // Code unit order (ids are ASCII), whatever the database's collation: the status route's cursor compares so.
    t.services.sort((a, b) =>
      a.service_id < b.service_id ? -1 : a.service_id > b.service_id ? 1 : 0,
    );
    t.counts = syncCountsOf(t.services);
  }
  return out;
}
