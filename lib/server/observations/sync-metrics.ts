// The gauge model_console_services_sync{state}: how many (service, key) pairs are in each sync state across the
// whole database, counted at scrape time in one statement (docs/observed-state.md, "Metrics").
import "server-only";
import type { Database, Query } from "@/db/types";
import { SYNC_STATES, type SyncState } from "@/lib/features/sync-state";
import { now as clockNow } from "@/lib/server/clock";

// Raw SQL (docs/decisions/091-observed-state-statements.md): grouped counts over every client. What is counted is
// exactly what the status route lists, summed over every domain and key: an active service with a report for the
// key (its sync state compared as `compareReport` in lib/features/sync-state.ts does, `unknown` once the report is
// older than the client's stale_after at $1), plus an active service that should run something for the key (a
// domain default or its own assignment) and never reported, as `unknown`. The unreported pairs are counted without
// listing them: the domain defaults times the domain's active services without a report, plus the own assignments
// of keys the domain has no default for. Departed services are not counted.
export const SYNC_COUNTS_SQL = `with reported as (
    select case
        when $1::timestamptz >= o.reported_at + make_interval(secs => c.stale_after_seconds) then 'unknown'
        when o.state = 'failed' then 'failed'
        when e.assignment_id is null then 'out_of_sync'
        when o.assignment_id is not null and o.assignment_id <> e.assignment_id then 'out_of_sync'
        when o.model_id <> e.model_id or o.model_version <> e.model_version then 'out_of_sync'
        when o.state = 'loading' then 'out_of_sync'
        when o.contract_hash is not null and o.contract_hash is distinct from mv.contract_hash
          then 'contract_mismatch'
        else 'synced'
      end as sync
    from observations o
    -- Every lookup by its primary or unique key, "limit 1" so it stays a lookup where the planner has no
    -- statistics yet (decision 091: without it, a fresh 10,000-service domain was planned as a 10,000 × 10,000 join).
    cross join lateral (
      select c.stale_after_seconds from clients c where c.id = o.client_id limit 1
    ) c
    cross join lateral (
      select 1 from services s
      where s.client_id = o.client_id and s.domain_id = o.domain_id and s.id = o.service_id
        and s.status = 'active'
      limit 1
    ) s
    left join lateral (
      select a.assignment_id, a.model_id, a.model_version from assignments a
      where a.client_id = o.client_id and a.domain_id = o.domain_id and a.scope = o.service_id
        and a.assignment_key = o.assignment_key and a.status = 'active'
      limit 1
    ) own on true
    left join lateral (
      select a.assignment_id, a.model_id, a.model_version from assignments a
      where a.client_id = o.client_id and a.domain_id = o.domain_id and a.scope = ''
        and a.assignment_key = o.assignment_key and a.status = 'active'
      limit 1
    ) dflt on true
    cross join lateral (
      select coalesce(own.assignment_id, dflt.assignment_id) as assignment_id,
        coalesce(own.model_id, dflt.model_id) as model_id,
        coalesce(own.model_version, dflt.model_version) as model_version
    ) e
    left join lateral (
      select v.contract_hash from model_versions v
      where v.model_id = e.model_id and v.version = e.model_version
      limit 1
    ) mv on true
  ),
  unreported as (
    select count(*) as n
    from assignments d
    join services s on s.client_id = d.client_id and s.domain_id = d.domain_id and s.status = 'active'
    where d.scope = '' and d.status = 'active'
      and not exists (select 1 from observations o where o.client_id = s.client_id and o.domain_id = s.domain_id
        and o.service_id = s.id and o.assignment_key = d.assignment_key)
    union all
    select count(*)
    from assignments a
    join services s on s.client_id = a.client_id and s.domain_id = a.domain_id and s.id = a.scope
      and s.status = 'active'
    where a.scope <> '' and a.status = 'active'
      and not exists (select 1 from assignments d where d.client_id = a.client_id and d.domain_id = a.domain_id
        and d.scope = '' and d.assignment_key = a.assignment_key and d.status = 'active')
      and not exists (select 1 from observations o where o.client_id = s.client_id and o.domain_id = s.domain_id
        and o.service_id = s.id and o.assignment_key = a.assignment_key)
  )
  select sync, count(*)::int as n from reported group by sync
  union all
  select 'unknown', coalesce(sum(n), 0)::int from unreported`;

/** Services per sync state (each (service, key) pair once), every state present, at the server clock's now. */
export async function countServicesBySync(
  database: Database | { query: Query },
  options: { now?: Date } = {},
): Promise<Record<SyncState, number>> {
  const now = options.now ?? clockNow();
  const rows = await database.query<{ sync: SyncState; n: number | string }>(
    SYNC_COUNTS_SQL,
    [now.toISOString()],
    "services_sync_counts_v1",
  );
  const counts = Object.fromEntries(SYNC_STATES.map((s) => [s, 0])) as Record<SyncState, number>;
  for (const r of rows) counts[r.sync] += Number(r.n);
  return counts;
}
