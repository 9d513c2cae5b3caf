// The whole-domain effective read: every active service's effective assignment for one key, in one statement
// (the domain default, the page of services with their own active assignment, and the domain's change cursor,
// all from one snapshot), so the statement count does not grow with the number of services.
import "server-only";
import { sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  assignments,
  clients,
  domainChangeHeads,
  domains,
  modelVersions,
  services,
} from "@/db/schema";
import { prepared } from "@/db/statement";
import type { Database } from "@/db/types";
import { decodeCursor, encodeCursor } from "@/lib/server/http/cursor";
import { notFound } from "@/lib/shared/errors";
import type { Answer } from "@/lib/server/http/conditional";
import { contentEtag } from "@/lib/server/http/conditional";
import {
  a,
  aliased,
  assignmentSelectList,
  toAssignmentRow,
  type AssignmentDbRow,
} from "./assignment-row";
import { upcomingByService, upcomingForDomain } from "./upcoming";

type Row = {
  service_id: string | null;
  version: number | string | null;
  client_exists: boolean | null;
  domain_exists: boolean | null;
  assignment: AssignmentDbRow | null;
  contract_hash: string | null;
  upcoming: unknown;
};

// The first row (service_id null) carries the cursor, the existence checks and the domain default; then one row
// per active service of the page that has an effective assignment, with its own active assignment if any.
// The services come out of the second branch in id order (its own ORDER BY under the LIMIT); the first row is
// found by its null service_id wherever the Append puts it, so no sort of the whole union is needed.
const domainEffective = prepared(
  "domain_effective_v4",
  ["clientId", "domainId", "key", "after", "limit"],
  (v) => {
    const h = domainChangeHeads;
    const s = services;
    const d = alias(assignments, "d");
    const mv = modelVersions;
    return sql`select null::text as service_id,
    coalesce((select ${h.seq} from ${h} where ${h.clientId} = ${v.clientId} and ${h.domainId} = ${v.domainId}), 0) as version,
    exists(select 1 from ${clients} where ${clients.id} = ${v.clientId}) as client_exists,
    exists(select 1 from ${domains} where ${domains.clientId} = ${v.clientId} and ${domains.id} = ${v.domainId}) as domain_exists,
    (select row_to_json(x) from (select ${assignmentSelectList()} from ${aliased(a)}
       where ${a.clientId} = ${v.clientId} and ${a.domainId} = ${v.domainId} and ${a.scope} = '' and ${a.assignmentKey} = ${v.key} and ${a.status} = 'active') x) as assignment,
    (select ${mv.contractHash} from ${aliased(a)} join ${mv} on ${mv.modelId} = ${a.modelId} and ${mv.version} = ${a.modelVersion}
       where ${a.clientId} = ${v.clientId} and ${a.domainId} = ${v.domainId} and ${a.scope} = '' and ${a.assignmentKey} = ${v.key} and ${a.status} = 'active') as contract_hash,
    ${upcomingForDomain(v.clientId, v.domainId, v.key)} as upcoming
  union all
  (select ${s.id}, null, null, null,
     case when ${a.assignmentId} is not null then (select row_to_json(x) from (select ${assignmentSelectList()}) x) end,
     case when ${a.assignmentId} is not null then (select ${mv.contractHash} from ${mv}
       where ${mv.modelId} = ${a.modelId} and ${mv.version} = ${a.modelVersion}) end,
     null::json
   from ${s}
   left join ${aliased(a)} on ${a.clientId} = ${s.clientId} and ${a.domainId} = ${s.domainId} and ${a.scope} = ${s.id}
     and ${a.assignmentKey} = ${v.key} and ${a.status} = 'active'
   where ${s.clientId} = ${v.clientId} and ${s.domainId} = ${v.domainId} and ${s.status} = 'active' and (${v.after}::text is null or ${s.id} > ${v.after}::text)
     and (${a.assignmentId} is not null
          or exists(select 1 from ${aliased(d)} where ${d.clientId} = ${v.clientId} and ${d.domainId} = ${v.domainId} and ${d.scope} = ''
                      and ${d.assignmentKey} = ${v.key} and ${d.status} = 'active'))
   order by ${s.id}
   limit ${v.limit})`;
  },
);

/** The page as the JSON text of `{ items, next_cursor }`, built once: the domain default is serialised once. */
export async function readDomainEffective(
  database: Database,
  scope: { clientId: string; domainId: string; key: string },
  options: { limit: number; cursor?: string },
): Promise<Answer> {
  const after = decodeCursor(options.cursor, ["string"]);
  const rows = await database.run<Row>(
    domainEffective({
      clientId: scope.clientId,
      domainId: scope.domainId,
      key: scope.key,
      after: after?.[0] ?? null,
      limit: options.limit + 1,
    }),
  );
  const head = rows.find((r) => r.service_id === null);
  if (!head?.client_exists) throw notFound(`Client "${scope.clientId}" not found`);
  if (!head.domain_exists)
    throw notFound(`Domain "${scope.domainId}" not found in client "${scope.clientId}"`);
  const services = rows.filter((r) => r.service_id !== null);
  const more = services.length > options.limit;
  const page = more ? services.slice(0, options.limit) : services;
  // The default's row and contract hash, serialised once: `"assignment":{…},"contract_hash":"…"`.
  const dflt = head.assignment
    ? `${JSON.stringify(toAssignmentRow(head.assignment))},"contract_hash":${JSON.stringify(head.contract_hash)}`
    : null;
  // Services a scheduled, approved change will move: `,"upcoming":{…}` after their item's fields.
  const upcoming = upcomingByService(head.upcoming);
  const upcomingOf = (serviceId: string) => {
    const u = upcoming.get(serviceId);
    return u ? `,"upcoming":${JSON.stringify(u)}` : "";
  };
  const parts: string[] = [];
  for (const r of page) {
    const own = r.assignment;
    const id = JSON.stringify(r.service_id);
    if (own) {
      parts.push(
        `{"service_id":${id},"source":"service","assignment":${JSON.stringify(toAssignmentRow(own))},"contract_hash":${JSON.stringify(r.contract_hash)}${upcomingOf(r.service_id!)}}`,
      );
    } else if (dflt) {
      parts.push(
        `{"service_id":${id},"source":"domain_default","assignment":${dflt}${upcomingOf(r.service_id!)}}`,
      );
    }
  }
  const next = more ? JSON.stringify(encodeCursor([page[page.length - 1]!.service_id!])) : "null";
  const body = `{"items":[${parts.join(",")}],"next_cursor":${next}}`;
  const version = Number(head.version ?? 0);
  return {
    version,
    etag: contentEtag(body),
    body,
    headers: { "x-change-cursor": String(version) },
  };
}
