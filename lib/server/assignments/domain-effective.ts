// The whole-domain effective read: every active service's effective assignment for one key, in one statement
// (the domain default, the page of services with their own active assignment, and the domain's change cursor,
// all from one snapshot), so the statement count does not grow with the number of services.
import "server-only";
import type { Database } from "@/db/types";
import { decodeCursor, encodeCursor } from "@/lib/server/http/cursor";
import { notFound } from "@/lib/shared/errors";
import type { Answer } from "@/lib/server/http/conditional";
import { contentEtag } from "@/lib/server/http/conditional";
import { ASSIGNMENT_COLUMNS, toAssignmentRow, type AssignmentDbRow } from "./assignment-row";

type Row = {
  service_id: string | null;
  version: number | string | null;
  client_exists: boolean | null;
  domain_exists: boolean | null;
  assignment: AssignmentDbRow | null;
  contract_hash: string | null;
};

// The first row (service_id null) carries the cursor, the existence checks and the domain default; then one row
// per active service of the page that has an effective assignment, with its own active assignment if any.
// The services come out of the second branch in id order (its own ORDER BY under the LIMIT); the first row is
// found by its null service_id wherever the Append puts it, so no sort of the whole union is needed.
const DOMAIN_EFFECTIVE_SQL = `select null::text as service_id,
    coalesce((select h.seq from domain_change_heads h where h.client_id = $1 and h.domain_id = $2), 0) as version,
    exists(select 1 from clients where id = $1) as client_exists,
    exists(select 1 from domains where client_id = $1 and id = $2) as domain_exists,
    (select row_to_json(x) from (select ${ASSIGNMENT_COLUMNS} from assignments a
       where a.client_id = $1 and a.domain_id = $2 and a.scope = '' and a.assignment_key = $3 and a.status = 'active') x) as assignment,
    (select mv.contract_hash from assignments a join model_versions mv on mv.model_id = a.model_id and mv.version = a.model_version
       where a.client_id = $1 and a.domain_id = $2 and a.scope = '' and a.assignment_key = $3 and a.status = 'active') as contract_hash
  union all
  (select s.id, null, null, null,
     case when a.assignment_id is not null then (select row_to_json(x) from (select ${ASSIGNMENT_COLUMNS}) x) end,
     case when a.assignment_id is not null then (select mv.contract_hash from model_versions mv
       where mv.model_id = a.model_id and mv.version = a.model_version) end
   from services s
   left join assignments a on a.client_id = s.client_id and a.domain_id = s.domain_id and a.scope = s.id
     and a.assignment_key = $3 and a.status = 'active'
   where s.client_id = $1 and s.domain_id = $2 and s.status = 'active' and ($4::text is null or s.id > $4)
     and (a.assignment_id is not null
          or exists(select 1 from assignments d where d.client_id = $1 and d.domain_id = $2 and d.scope = ''
                      and d.assignment_key = $3 and d.status = 'active'))
   order by s.id
   limit $5)`;

/** The page as the JSON text of `{ items, next_cursor }`, built once: the domain default is serialised once. */
export async function readDomainEffective(
  database: Database,
  scope: { clientId: string; domainId: string; key: string },
  options: { limit: number; cursor?: string },
): Promise<Answer> {
  const after = decodeCursor(options.cursor, ["string"]);
  const rows = await database.query<Row>(
    DOMAIN_EFFECTIVE_SQL,
    [scope.clientId, scope.domainId, scope.key, after?.[0] ?? null, options.limit + 1],
    "domain_effective_v2",
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
  const parts: string[] = [];
  for (const r of page) {
    const own = r.assignment;
    const id = JSON.stringify(r.service_id);
    if (own) {
      parts.push(
        `{"service_id":${id},"source":"service","assignment":${JSON.stringify(toAssignmentRow(own))},"contract_hash":${JSON.stringify(r.contract_hash)}}`,
      );
    } else if (dflt) {
      parts.push(`{"service_id":${id},"source":"domain_default","assignment":${dflt}}`);
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
