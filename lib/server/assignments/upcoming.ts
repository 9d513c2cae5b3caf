// Upcoming changes on effective reads: an approved change request with `apply_at` announces, to each service its
// stored impact moves, the model version it will move to (docs/decisions/111-upcoming-changes.md). Read in the
// effective statements themselves (same snapshot as the answer and its change cursor): the request's approval,
// apply, failure, edit and withdrawal are all changes on the domain's feed, so the read caches and ETags follow.
import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { changeRequests } from "@/db/schema";
import type { UpcomingChange } from "@/lib/schemas/assignments";

const cr = changeRequests;

/**
 * The moves of the domain's scheduled, approved requests for the key, as rows `ch` (the change) and `m` (one
 * from → to group of its impact); the partial index change_requests_scheduled keeps it to a few rows.
 */
function scheduledMoves(clientId: unknown, domainId: unknown, key: unknown): SQL {
  return sql`from ${cr}
    cross join lateral jsonb_array_elements(${cr.changes}) ch
    cross join lateral jsonb_array_elements(ch->'impact'->'moves') m
    where ${cr.clientId} = ${clientId} and ${cr.status} = 'approved' and ${cr.applyAt} is not null
      and ch->>'domain_id' = ${domainId} and ch->>'assignment_key' = ${key}
      and jsonb_typeof(m->'to') = 'object'`;
}

/** Raw form of an upcoming change: apply_at as epoch milliseconds (one format whatever the driver). */
type RawUpcoming = { m: string; v: string; at: number | string; id: string };

/** One service's earliest upcoming change for the key, as JSON (null: none). */
export function upcomingForService(
  clientId: unknown,
  domainId: unknown,
  serviceId: unknown,
  key: unknown,
): SQL {
  return sql`(select json_build_object('m', m->'to'->>'model_id', 'v', m->'to'->>'model_version',
      'at', (extract(epoch from ${cr.applyAt}) * 1000)::bigint, 'id', ${cr.id})
    ${scheduledMoves(clientId, domainId, key)} and m->'service_ids' ? ${serviceId}::text
    order by ${cr.applyAt}, ${cr.id} limit 1)`;
}

/** Every upcoming move of the domain's key, earliest first, with its services (null: none). */
export function upcomingForDomain(clientId: unknown, domainId: unknown, key: unknown): SQL {
  return sql`(select json_agg(json_build_object('m', m->'to'->>'model_id', 'v', m->'to'->>'model_version',
      'at', (extract(epoch from ${cr.applyAt}) * 1000)::bigint, 'id', ${cr.id}, 's', m->'service_ids')
      order by ${cr.applyAt}, ${cr.id})
    ${scheduledMoves(clientId, domainId, key)})`;
}

export function toUpcoming(raw: RawUpcoming): UpcomingChange {
  return {
    model_id: raw.m,
    model_version: raw.v,
    apply_at: new Date(Number(raw.at)).toISOString(),
    change_request_id: raw.id,
  };
}

export function parseUpcoming(value: unknown): UpcomingChange | undefined {
  if (value === null || value === undefined) return undefined;
  const raw = (typeof value === "string" ? JSON.parse(value) : value) as RawUpcoming;
  return toUpcoming(raw);
}

/** service_id → its earliest upcoming change, from upcomingForDomain's JSON. */
export function upcomingByService(value: unknown): Map<string, UpcomingChange> {
  const byService = new Map<string, UpcomingChange>();
  if (value === null || value === undefined) return byService;
  const list = (typeof value === "string" ? JSON.parse(value) : value) as (RawUpcoming & {
    s: string[];
  })[];
  for (const raw of list) {
    const upcoming = toUpcoming(raw);
    for (const id of raw.s) if (!byService.has(id)) byService.set(id, upcoming);
  }
  return byService;
}
