// Clients (tenants) and their domains.
import "server-only";
import { toIso } from "@/db/iso";
import type { Database, Query } from "@/db/types";
import { assertAllClients, type Actor } from "@/lib/shared/scopes";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import { inTransaction } from "@/db/dry-run";
import { conflict, notFound } from "@/lib/shared/errors";
import { eq } from "drizzle-orm";
import { clients } from "@/db/schema";
import { auditInsertSql, writeAudit } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import type { z } from "zod";
import type { clientRow, domainRow } from "@/lib/schemas/tenancy";

type ClientRow = z.infer<typeof clientRow>;
type DomainRow = z.infer<typeof domainRow>;

type ClientDbRow = {
  client_id: string;
  name: string;
  require_change_reason: boolean;
  created_at: Date;
};
const CLIENT_COLUMNS = "id as client_id, name, require_change_reason, created_at";
const client = (r: ClientDbRow): ClientRow => ({
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
  const rows = await q<ClientDbRow>(
    `select ${CLIENT_COLUMNS} from clients
     where ($1::text[] is null or id = any($1::text[])) and ($2::text is null or id > $2)
     order by id limit $3`,
    [allowed, after?.[0] ?? null, options.limit + 1],
  );
  const page = pageOf(rows, options.limit, (r) => [r.client_id]);
  return { items: page.items.map(client), next_cursor: page.next_cursor };
}

export async function getClient(q: Query, clientId: string): Promise<ClientRow> {
  const rows = await q<ClientDbRow>(`select ${CLIENT_COLUMNS} from clients where id = $1`, [
    clientId,
  ]);
  if (!rows[0]) throw notFound(`Client "${clientId}" not found`);
  return client(rows[0]);
}

export async function createClient(
  database: Database,
  actor: Actor,
  meta: WriteMeta,
  body: { client_id: string; name?: string; require_change_reason?: boolean },
  dryRun = false,
) {
  // A new tenant is outside every limited caller's clients.
  assertAllClients(actor, "Creating a client");
  try {
    const rows = await inTransaction(database, dryRun, (q) =>
      q<ClientDbRow>(
        `with ins as (insert into clients (id, name, require_change_reason) values ($1, $2, $6)
           returning ${CLIENT_COLUMNS}),
       audit as (${auditInsertSql("ins", {
         actor: "$3",
         action: "'client.create'",
         entityType: "'client'",
         entityId: "$1",
         clientId: "$1",
         requestId: "$4",
         reason: "$5",
         after: "to_jsonb(ins)",
       })})
       select * from ins`,
        [
          body.client_id,
          body.name ?? body.client_id,
          actor.subject,
          meta.requestId,
          meta.reason ?? null,
          body.require_change_reason ?? false,
        ],
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
  meta: WriteMeta,
  clientId: string,
  body: { domain_id: string; name?: string; status: "active" | "inactive" },
  dryRun = false,
) {
  await getClient(database.query, clientId);
  try {
    return await inTransaction(database, dryRun, async (q) => {
      await q(
        `with ins as (insert into domains (client_id, id, name, status) values ($1, $2, $3, $4) returning *),
         audit as (${auditInsertSql("ins", {
           actor: "$5",
           action: "'domain.create'",
           entityType: "'domain'",
           entityId: "$1 || '/' || $2",
           clientId: "$1",
           requestId: "$6",
           reason: "$7",
           after: "to_jsonb(ins)",
         })})
         select 1`,
        [
          clientId,
          body.domain_id,
          body.name ?? body.domain_id,
          body.status,
          actor.subject,
          meta.requestId,
          meta.reason ?? null,
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
  meta: WriteMeta,
  clientId: string,
  domainId: string,
  body: { name?: string; status?: "active" | "inactive" },
) {
  const before = await getDomain(database.query, clientId, domainId);
  await database.query(
    `with upd as (update domains set name = coalesce($3, name), status = coalesce($4, status), updated_at = now()
       where client_id = $1 and id = $2 returning *),
     audit as (${auditInsertSql("upd", {
       actor: "$5",
       action: "'domain.patch'",
       entityType: "'domain'",
       entityId: "$1 || '/' || $2",
       clientId: "$1",
       requestId: "$6",
       reason: "$8",
       before: "$7::jsonb",
       after: "to_jsonb(upd)",
     })})
     select 1`,
    [
      clientId,
      domainId,
      body.name ?? null,
      body.status ?? null,
      actor.subject,
      meta.requestId,
      JSON.stringify(before),
      meta.reason ?? null,
    ],
  );
  return getDomain(database.query, clientId, domainId);
}

/** PATCH a client (admin): its name and whether every change to its data needs a reason. */
export async function patchClient(
  database: Database,
  actor: Actor,
  meta: WriteMeta,
  clientId: string,
  body: { name?: string; require_change_reason?: boolean },
): Promise<ClientRow> {
  const row = (r: typeof clients.$inferSelect): ClientRow => ({
    client_id: r.id,
    name: r.name,
    require_change_reason: r.requireChangeReason,
    created_at: toIso(r.createdAt),
  });
  return database.db.transaction(async (tx) => {
    const [before] = await tx.select().from(clients).where(eq(clients.id, clientId)).for("update");
    if (!before) throw notFound(`Client "${clientId}" not found`);
    const [after] = await tx
      .update(clients)
      .set({
        name: body.name ?? before.name,
        requireChangeReason: body.require_change_reason ?? before.requireChangeReason,
      })
      .where(eq(clients.id, clientId))
      .returning();
    // Recorded after the update: switching reasons on is itself the first change that needs one.
    if (after!.name !== before.name || after!.requireChangeReason !== before.requireChangeReason) {
      await writeAudit(tx, {
        actor: actor.subject,
        action: "client.patch",
        entityType: "client",
        entityId: clientId,
        clientId,
        requestId: meta.requestId,
        reason: meta.reason,
        before: row(before),
        after: row(after!),
      });
    }
    return row(after!);
  });
}
