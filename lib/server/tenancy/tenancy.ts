// Clients (tenants) and their domains.
import "server-only";
import { and, asc, eq, getTableColumns, gt, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import { inDbTransaction } from "@/db/dry-run";
import { toIso } from "@/db/iso";
import { clients, domains, services } from "@/db/schema";
import type { Database, Db, Tx } from "@/db/types";
import { createAudited } from "@/lib/server/audit/create-audited";
import { auditBy, writeAudit } from "@/lib/server/audit/write-audit";
import type { WriteInput, WriteOptions } from "@/lib/server/audit/write-meta";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import type { paginationQuery } from "@/lib/schemas/common";
import type {
  Client,
  clientCreateBody,
  clientPatchBody,
  Domain,
  domainCreateBody,
  domainPatchBody,
} from "@/lib/schemas/tenancy";
import { conflict, notFound } from "@/lib/shared/errors";
import { jsonEqual } from "@/lib/features/json-equal";
import { assertAllClients, type Actor } from "@/lib/shared/scopes";

type Page = z.infer<typeof paginationQuery>;

type ClientRecord = typeof clients.$inferSelect;

/** A client without a change policy: no approvals required. */
const NO_APPROVALS = { required_approvals: 0, allow_self_approval: false };
type DomainWithCount = typeof domains.$inferSelect & { serviceCount: number };

/** The one mapper of a client to its wire shape (answers and audit entries). */
function toClientRow(r: ClientRecord): Client {
  return {
    client_id: r.id,
    name: r.name,
    require_change_reason: r.requireChangeReason,
    stale_after: r.staleAfterSeconds,
    change_policy: r.changePolicy ?? NO_APPROVALS,
    created_at: toIso(r.createdAt),
  };
}

/** The one mapper of a domain (with its count of active services) to its wire shape. */
function toDomainRow(r: DomainWithCount): Domain {
  return {
    client_id: r.clientId,
    domain_id: r.id,
    name: r.name,
    status: r.status,
    service_count: r.serviceCount,
    change_policy: r.changePolicy ?? null,
    created_at: toIso(r.createdAt),
    updated_at: toIso(r.updatedAt),
  };
}

/** A domain's columns and its active services counted (a correlated subquery, also valid in RETURNING). */
const domainFields = {
  ...getTableColumns(domains),
  serviceCount: sql<number>`(select count(*)::int from ${services} where ${and(
    eq(services.clientId, domains.clientId),
    eq(services.domainId, domains.id),
    eq(services.status, "active"),
  )})`.mapWith(Number),
};

/**
 * What a create or patch records in its audit entry's `after`, returned by the write itself: the row as
 * PostgreSQL's to_jsonb gives it (column names, timestamps with microseconds), as these entries have always
 * recorded it — not the wire shape. A client's is the row as its create answered it (id as client_id).
 */
const clientAudit = sql<unknown>`jsonb_build_object('client_id', ${clients.id}, 'name', ${clients.name},
  'require_change_reason', ${clients.requireChangeReason}, 'stale_after', ${clients.staleAfterSeconds}, 'created_at', ${clients.createdAt})`;
const domainAudit = sql<unknown>`to_jsonb(${domains})`;

const clientNotFound = (clientId: string) => notFound(`Client "${clientId}" not found`);

export async function listClients(database: Database, input: { actor: Actor } & Page) {
  const after = decodeCursor(input.cursor, ["string"]);
  const { actor } = input;
  const rows = await database.db
    .select()
    .from(clients)
    .where(
      and(
        actor.clients === "*" ? undefined : inArray(clients.id, [...actor.clients]),
        after ? gt(clients.id, after[0] as string) : undefined,
      ),
    )
    .orderBy(asc(clients.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit, (r) => [r.id]);
  return { items: page.items.map(toClientRow), next_cursor: page.next_cursor };
}

async function readClient(db: Db, clientId: string): Promise<Client> {
  const [row] = await db.select().from(clients).where(eq(clients.id, clientId));
  if (!row) throw clientNotFound(clientId);
  return toClientRow(row);
}

export async function getClient(database: Database, input: { clientId: string }) {
  return readClient(database.db, input.clientId);
}

export async function createClient(
  database: Database,
  { actor, meta, body }: WriteInput<z.infer<typeof clientCreateBody>>,
  options: WriteOptions = {},
): Promise<Client> {
  // A new tenant is outside every limited caller's clients.
  assertAllClients(actor, "Creating a client");
  return createAudited(database, options.dryRun, {
    insert: (tx: Tx) =>
      tx
        .insert(clients)
        .values({
          id: body.client_id,
          name: body.name ?? body.client_id,
          requireChangeReason: body.require_change_reason ?? false,
          staleAfterSeconds: body.stale_after ?? 600,
        })
        .returning({ ...getTableColumns(clients), audit: clientAudit }),
    toWire: toClientRow,
    // A client created with reasons required needs one for its own creation (the audit log's trigger).
    entry: (row) => ({
      ...auditBy(actor, meta, "client", row.client_id, row.client_id),
      action: "client.create",
    }),
    exists: () => conflict(`Client "${body.client_id}" already exists`),
  });
}

/** PATCH a client (admin): its name and whether every change to its data needs a reason. */
export async function patchClient(
  database: Database,
  {
    actor,
    meta,
    clientId,
    body,
  }: WriteInput<z.infer<typeof clientPatchBody>> & {
    clientId: string;
  },
): Promise<Client> {
  return inDbTransaction(database, false, async (tx) => {
    const [before] = await tx.select().from(clients).where(eq(clients.id, clientId)).for("update");
    if (!before) throw clientNotFound(clientId);
    const [after] = await tx
      .update(clients)
      .set({
        name: body.name ?? before.name,
        requireChangeReason: body.require_change_reason ?? before.requireChangeReason,
        staleAfterSeconds: body.stale_after ?? before.staleAfterSeconds,
        changePolicy: body.change_policy ?? before.changePolicy,
      })
      .where(eq(clients.id, clientId))
      .returning();
    // Recorded after the update: switching reasons on is itself the first change that needs one.
    if (
      after!.name !== before.name ||
      after!.requireChangeReason !== before.requireChangeReason ||
      after!.staleAfterSeconds !== before.staleAfterSeconds ||
      !jsonEqual(after!.changePolicy ?? NO_APPROVALS, before.changePolicy ?? NO_APPROVALS)
    ) {
      await writeAudit(tx, {
        ...auditBy(actor, meta, "client", clientId, clientId),
        action: "client.patch",
        before: toClientRow(before),
        after: toClientRow(after!),
      });
    }
    return toClientRow(after!);
  });
}

export async function listDomains(database: Database, input: { clientId: string } & Page) {
  const after = decodeCursor(input.cursor, ["string"]);
  const rows = await database.db
    .select(domainFields)
    .from(domains)
    .where(
      and(
        eq(domains.clientId, input.clientId),
        after ? gt(domains.id, after[0] as string) : undefined,
      ),
    )
    .orderBy(asc(domains.id))
    .limit(input.limit + 1);
  if (rows.length === 0) await readClient(database.db, input.clientId);
  const page = pageOf(rows, input.limit, (r) => [r.id]);
  return { items: page.items.map(toDomainRow), next_cursor: page.next_cursor };
}

/** The domain, or 404 naming whichever of the client and the domain is missing. */
async function readDomain(
  db: Db,
  clientId: string,
  domainId: string,
  lock = false,
): Promise<Domain> {
  const query = db
    .select(domainFields)
    .from(domains)
    .where(and(eq(domains.clientId, clientId), eq(domains.id, domainId)));
  const [row] = await (lock ? query.for("update", { of: domains }) : query);
  if (row) return toDomainRow(row);
  await readClient(db, clientId);
  throw notFound(`Domain "${domainId}" not found in client "${clientId}"`);
}

export async function getDomain(
  database: Database,
  input: { clientId: string; domainId: string },
): Promise<Domain> {
  return readDomain(database.db, input.clientId, input.domainId);
}

export async function createDomain(
  database: Database,
  {
    actor,
    meta,
    clientId,
    body,
  }: WriteInput<z.infer<typeof domainCreateBody>> & { clientId: string },
  options: WriteOptions = {},
): Promise<Domain> {
  await readClient(database.db, clientId);
  return createAudited(database, options.dryRun, {
    insert: (tx: Tx) =>
      tx
        .insert(domains)
        .values({
          clientId,
          id: body.domain_id,
          name: body.name ?? body.domain_id,
          status: body.status,
        })
        .returning({ ...domainFields, audit: domainAudit }),
    toWire: toDomainRow,
    entry: (row) => ({
      ...auditBy(actor, meta, "domain", `${clientId}/${row.domain_id}`, clientId),
      action: "domain.create",
    }),
    exists: () => conflict(`Domain "${body.domain_id}" already exists in client "${clientId}"`),
  });
}

/** PATCH a domain (admin): its name or status. Always recorded, even when nothing changed. */
export async function patchDomain(
  database: Database,
  {
    actor,
    meta,
    clientId,
    domainId,
    body,
  }: WriteInput<z.infer<typeof domainPatchBody>> & { clientId: string; domainId: string },
): Promise<Domain> {
  return inDbTransaction(database, false, async (tx) => {
    const before = await readDomain(tx, clientId, domainId, true);
    const [updated] = await tx
      .update(domains)
      .set({
        name: body.name ?? before.name,
        status: body.status ?? before.status,
        changePolicy: body.change_policy === undefined ? before.change_policy : body.change_policy,
        updatedAt: sql`now()`,
      })
      .where(and(eq(domains.clientId, clientId), eq(domains.id, domainId)))
      .returning({ ...domainFields, audit: domainAudit });
    const after = toDomainRow(updated!);
    await writeAudit(tx, {
      ...auditBy(actor, meta, "domain", `${clientId}/${domainId}`, clientId),
      action: "domain.patch",
      // The wire shape before, the row after: what this entry has always recorded.
      before,
      after: updated!.audit,
    });
    return after;
  });
}
