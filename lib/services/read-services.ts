// Reads of a domain's services.
import type { Query } from "@/db/client";
import { assertScopeExists } from "@/lib/assignments/read-assignments";
import { decodeCursor, pageOf } from "@/lib/http/cursor";
import { notFound } from "@/lib/http/errors";
import type { ServiceRow } from "@/lib/schemas/services";
import { SERVICE_COLUMNS, toServiceRow, type ServiceDbRow } from "./service-row";

export async function listServices(
  q: Query,
  clientId: string,
  domainId: string,
  options: { status: "active" | "departed" | "all"; q?: string; limit: number; cursor?: string },
): Promise<{ items: ServiceRow[]; next_cursor: string | null }> {
  const after = decodeCursor(options.cursor, ["string"]);
  const search = options.q ? `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await q<ServiceDbRow>(
    `select ${SERVICE_COLUMNS} from services s
     where s.client_id = $1 and s.domain_id = $2
       and ($3 = 'all' or s.status = $3)
       and ($4::text is null or s.id ilike $4 or s.name ilike $4)
       and ($5::text is null or s.id > $5)
     order by s.id limit $6`,
    [clientId, domainId, options.status, search, after?.[0] ?? null, options.limit + 1],
  );
  if (rows.length === 0) await assertScopeExists(q, { clientId, domainId, serviceId: null });
  const page = pageOf(rows, options.limit, (r) => [r.service_id]);
  return { items: page.items.map(toServiceRow), next_cursor: page.next_cursor };
}

export async function getService(q: Query, clientId: string, domainId: string, serviceId: string): Promise<ServiceRow> {
  const rows = await q<ServiceDbRow>(
    `select ${SERVICE_COLUMNS} from services s where s.client_id = $1 and s.domain_id = $2 and s.id = $3`,
    [clientId, domainId, serviceId],
  );
  if (rows[0]) return toServiceRow(rows[0]);
  await assertScopeExists(q, { clientId, domainId, serviceId: null });
  throw notFound(`Service "${serviceId}" not found in domain "${domainId}"`);
}
