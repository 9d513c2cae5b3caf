// Clients (tenants) and their domains.
import { toIso } from "@/db/iso";
import type { Database, Query } from "@/db/client";
import { assertAllClients, type Actor } from "@/lib/auth/scopes";
import { decodeCursor, pageOf } from "@/lib/http/cursor";
import { inTransaction } from "@/db/dry-run";
import { conflict, notFound } from "@/lib/http/errors";
import type { z } from "zod";
import type { clientRow, domainRow } from "@/lib/schemas/tenancy";

type ClientRow = z.infer<typeof clientRow>;
type DomainRow = z.infer<typeof domainRow>;

const client = (r: { client_id: string; name: string; created_at: Date }) => ({
  ...r,
  created_at: toIso(r.created_at),
});
const domain = (r: DomainRow & { created_at: Date | string; updated_at: Date | string }) => ({
  ...r,
  created_at: toIso(r.created_at),
  updated_at: toIso(r.updated_at),
});

const DOMAIN_COLUMNS = `d.client_id, d.id as domain_id, d.name, d.status,
  (select count(*)::int from services s where s.client_id = d.client_id and s.domain_id = d.id and s.status = 'active') as service_count,
  d.created_at, d.updated_at`;

export async function listClients(
  q: Query,
  actor: Actor,
  options: { limit: number; cursor?: string },
) {
  const after = decodeCursor(options.cursor, ["string"]);
  const allowed = actor.clients === "*" ? null : [...actor.clients];
  const rows = await q<{ client_id: string; name: string; created_at: Date }>(
    `select id as client_id, name, created_at from clients
     where ($1::text[] is null or id = any($1::text[])) and ($2::text is null or id > $2)
     order by id limit $3`,
    [allowed, after?.[0] ?? null, options.limit + 1],
  );
  const page = pageOf(rows, options.limit, (r) => [r.client_id]);
  return { items: page.items.map(client), next_cursor: page.next_cursor };
}

export async function getClient(q: Query, clientId: string): Promise<ClientRow> {
  const rows = await q<{ client_id: string; name: string; created_at: Date }>(
    `select id as client_id, name, created_at from clients where id = $1`,
    [clientId],
  );
  if (!rows[0]) throw notFound(`Client "${clientId}" not found`);
  return client(rows[0]);
}

export async function createClient(
  database: Database,
  actor: Actor,
  requestId: string,
  body: { client_id: string; name?: string },
  dryRun = false,
) {
  // A new tenant is outside every limited caller's clients.
  assertAllClients(actor, "Creating a client");
  try {
    const rows = await inTransaction(database, dryRun, (q) =>
      q<{ client_id: string; name: string; created_at: Date }>(
        `with ins as (insert into clients (id, name) values ($1, $2) returning id as client_id, name, created_at),
       audit as (insert into audit_log (actor, action, entity_type, entity_id, client_id, request_id, after)
         select $3, 'client.create', 'client', $1, $1, $4, to_jsonb(ins) from ins)
       select * from ins`,
        [body.client_id, body.name ?? body.client_id, actor.subject, requestId],
      ),
    );
    return client(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === "23505")
      throw conflict(`Client "${body.client_id}" already exists`);
    throw error;
  }
}

export async function listDomains(
  q: Query,
  clientId: string,
  options: { limit: number; cursor?: string },
) {
  const after = decodeCursor(options.cursor, ["string"]);
  const rows = await q<DomainRow & { created_at: Date; updated_at: Date }>(
    `select ${DOMAIN_COLUMNS} from domains d where d.client_id = $1 and ($2::text is null or d.id > $2) order by d.id limit $3`,
    [clientId, after?.[0] ?? null, options.limit + 1],
  );
  if (rows.length === 0) await getClient(q, clientId);
  const page = pageOf(rows, options.limit, (r) => [r.domain_id]);
  return { items: page.items.map(domain), next_cursor: page.next_cursor };
}

export async function getDomain(q: Query, clientId: string, domainId: string): Promise<DomainRow> {
  const rows = await q<DomainRow & { created_at: Date; updated_at: Date }>(
    `select ${DOMAIN_COLUMNS} from domains d where d.client_id = $1 and d.id = $2`,
    [clientId, domainId],
  );
  if (rows[0]) return domain(rows[0]);
  await getClient(q, clientId);
  throw notFound(`Domain "${domainId}" not found in client "${clientId}"`);
}

export async function createDomain(
  database: Database,
  actor: Actor,
  requestId: string,
  clientId: string,
  body: { domain_id: string; name?: string; status: "active" | "inactive" },
  dryRun = false,
) {
  await getClient(database.query, clientId);
  try {
    return await inTransaction(database, dryRun, async (q) => {
      await q(
        `with ins as (insert into domains (client_id, id, name, status) values ($1, $2, $3, $4) returning *),
         audit as (insert into audit_log (actor, action, entity_type, entity_id, client_id, request_id, after)
           select $5, 'domain.create', 'domain', $1 || '/' || $2, $1, $6, to_jsonb(ins) from ins)
         select 1`,
        [
          clientId,
          body.domain_id,
          body.name ?? body.domain_id,
          body.status,
          actor.subject,
          requestId,
        ],
      );
      return getDomain(q, clientId, body.domain_id);
    });
  } catch (error) {
    if ((error as { code?: string }).code === "23505")
      throw conflict(`Domain "${body.domain_id}" already exists in client "${clientId}"`);
    throw error;
  }
}

export async function patchDomain(
  database: Database,
  actor: Actor,
  requestId: string,
  clientId: string,
  domainId: string,
  body: { name?: string; status?: "active" | "inactive" },
) {
  const before = await getDomain(database.query, clientId, domainId);
  await database.query(
    `with upd as (update domains set name = coalesce($3, name), status = coalesce($4, status), updated_at = now()
       where client_id = $1 and id = $2 returning *),
     audit as (insert into audit_log (actor, action, entity_type, entity_id, client_id, request_id, before, after)
       select $5, 'domain.patch', 'domain', $1 || '/' || $2, $1, $6, $7::jsonb, to_jsonb(upd) from upd)
     select 1`,
    [
      clientId,
      domainId,
      body.name ?? null,
      body.status ?? null,
      actor.subject,
      requestId,
      JSON.stringify(before),
    ],
  );
  return getDomain(database.query, clientId, domainId);
}
