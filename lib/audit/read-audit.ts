// Reads of the audit log, newest first, filtered by client, entity and actor.
import { toIso } from "@/db/iso";
import type { Query } from "@/db/client";
import type { Actor } from "@/lib/auth/scopes";
import { decodeCursor, pageOf } from "@/lib/http/cursor";
import { forbidden } from "@/lib/http/errors";
import type { z } from "zod";
import type { auditEntry } from "@/lib/schemas/audit";

export type AuditEntry = z.infer<typeof auditEntry>;

type AuditDbRow = Omit<AuditEntry, "id" | "at"> & { id: string | number; at: Date | string };

export type AuditFilter = {
  client_id?: string;
  entity_type?: string;
  entity_id?: string;
  actor?: string;
  limit: number;
  cursor?: string;
};

export async function listAudit(
  q: Query,
  caller: Actor,
  filter: AuditFilter,
): Promise<{ items: AuditEntry[]; next_cursor: string | null }> {
  // A caller limited to some clients sees only those clients' entries.
  let clients: string[] | null = null;
  if (caller.clients !== "*") {
    if (filter.client_id !== undefined && !caller.clients.has(filter.client_id)) {
      throw forbidden(`This token or session may not access client "${filter.client_id}"`);
    }
    clients = [...caller.clients];
  }
  const after = decodeCursor(filter.cursor, ["number"]);
  const rows = await q<AuditDbRow>(
    `select l.id::text as id, l.at, l.actor, l.action, l.entity_type, l.entity_id, l.client_id, l.request_id, l.before, l.after
     from audit_log l
     where ($1::text is null or l.client_id = $1)
       and ($2::text[] is null or l.client_id = any($2::text[]))
       and ($3::text is null or l.entity_type = $3)
       and ($4::text is null or l.entity_id = $4)
       and ($5::text is null or l.actor = $5)
       and ($6::bigint is null or l.id < $6)
     order by l.id desc
     limit $7`,
    [
      filter.client_id ?? null,
      clients,
      filter.entity_type ?? null,
      filter.entity_id ?? null,
      filter.actor ?? null,
      after?.[0] ?? null,
      filter.limit + 1,
    ],
  );
  const items = rows.map((r): AuditEntry => ({
    id: Number(r.id),
    at: toIso(r.at),
    actor: r.actor,
    action: r.action,
    entity_type: r.entity_type,
    entity_id: r.entity_id,
    client_id: r.client_id ?? null,
    request_id: r.request_id ?? null,
    before: r.before ?? null,
    after: r.after ?? null,
  }));
  return pageOf(items, filter.limit, (r) => [r.id]);
}
