// The assignment keys in use in a domain, each with its active domain default and how many services override it.
import "server-only";
import type { Query } from "@/db/types";
import type { AssignmentKeySummary } from "@/lib/schemas/assignment-keys";
import { ASSIGNMENT_COLUMNS, toAssignmentRow, type AssignmentDbRow } from "./assignment-row";
import { assertScopeExists } from "./read-assignments";

type KeyDbRow = Partial<AssignmentDbRow> & { key_name: string; override_count: number };

export async function listAssignmentKeys(
  q: Query,
  clientId: string,
  domainId: string,
): Promise<{ items: AssignmentKeySummary[] }> {
  const rows = await q<KeyDbRow>(
    `with keys as (
       select k.assignment_key, count(*) filter (where k.scope <> '')::int as override_count
       from assignments k
       where k.client_id = $1 and k.domain_id = $2 and k.status = 'active'
       group by k.assignment_key
     )
     select keys.assignment_key as key_name, keys.override_count, ${ASSIGNMENT_COLUMNS}
     from keys
     left join assignments a on a.client_id = $1 and a.domain_id = $2 and a.scope = ''
       and a.assignment_key = keys.assignment_key and a.status = 'active'
     order by keys.assignment_key`,
    [clientId, domainId],
  );
  if (rows.length === 0) await assertScopeExists(q, { clientId, domainId, serviceId: null });
  return {
    items: rows.map((r) => ({
      assignment_key: r.key_name,
      domain_default: r.assignment_id ? toAssignmentRow(r as AssignmentDbRow) : null,
      override_count: Number(r.override_count),
    })),
  };
}
