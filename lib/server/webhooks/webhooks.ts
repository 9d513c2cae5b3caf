// A client's webhooks and their deliveries (/v2/clients/{c}/webhooks…): create (secret shown once), list, get,
// delete, list deliveries, retry a delivery now. Creating and deleting are audited; the secret never is.
import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { inDbTransaction } from "@/db/dry-run";
import type { Database } from "@/db/types";
import {
  clients,
  domainChangeHeads,
  webhookCursors,
  webhookDeliveries,
  webhooks,
} from "@/db/schema";
import { auditBy, writeAudit } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import type { Actor } from "@/lib/shared/scopes";
import { notFound, unprocessable } from "@/lib/shared/errors";
import type { Webhook, WebhookCreateBody, WebhookDelivery } from "@/lib/schemas/webhooks";
import { encryptSecret, generateWebhookSecret } from "./secret";
import { checkTarget, TargetRefused } from "./target";
import { wakeDispatchers } from "./dispatcher";

type WebhookDbRow = typeof webhooks.$inferSelect;
type DeliveryDbRow = typeof webhookDeliveries.$inferSelect;

/** Which webhook (and, for a delivery, which one of its deliveries) a call is about. */
type WebhookRef = { clientId: string; webhookId: string };
/** Who writes, and the request id and change reason the audit entry carries. */
type WriteBy = { actor: Actor; meta: WriteMeta };

// Every column but the encrypted secret, which never leaves the server.
const publicColumns = {
  id: webhooks.id,
  clientId: webhooks.clientId,
  url: webhooks.url,
  events: webhooks.events,
  description: webhooks.description,
  createdBy: webhooks.createdBy,
  createdAt: webhooks.createdAt,
};

function toWebhook(row: Omit<WebhookDbRow, "secretEncrypted">): Webhook {
  return {
    id: row.id,
    client_id: row.clientId,
    url: row.url,
    events: row.events,
    description: row.description,
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
  };
}

function toDelivery(row: DeliveryDbRow): WebhookDelivery {
  return {
    id: row.id,
    domain_id: row.domainId,
    cursor: String(row.seq),
    status: row.status,
    attempt: row.attempts,
    response_code: row.responseCode,
    error: row.lastError,
    next_retry_at: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    last_attempt_at: row.lastAttemptAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

async function assertClient(database: Database, clientId: string): Promise<void> {
  const [row] = await database.db
    .select({ id: clients.id })
    .from(clients)
    .where(eq(clients.id, clientId));
  if (!row) throw notFound(`Client "${clientId}" not found`);
}

export async function listWebhooks(
  database: Database,
  { clientId }: { clientId: string },
): Promise<{ items: Webhook[] }> {
  await assertClient(database, clientId);
  const rows = await database.db
    .select(publicColumns)
    .from(webhooks)
    .where(eq(webhooks.clientId, clientId))
    .orderBy(desc(webhooks.createdAt), webhooks.id);
  return { items: rows.map(toWebhook) };
}

export async function getWebhook(
  database: Database,
  { clientId, webhookId }: WebhookRef,
): Promise<Webhook> {
  const [row] = await database.db
    .select(publicColumns)
    .from(webhooks)
    .where(and(eq(webhooks.clientId, clientId), eq(webhooks.id, webhookId)));
  if (!row) throw notFound(`Webhook "${webhookId}" not found in client "${clientId}"`);
  return toWebhook(row);
}

/** Creates a webhook and answers it with its signing secret (shown this once; audited without it). */
export async function createWebhook(
  database: Database,
  { actor, meta, clientId, body }: WriteBy & { clientId: string; body: WebhookCreateBody },
): Promise<Webhook & { secret: string }> {
  await assertClient(database, clientId);
  try {
    await checkTarget(body.url);
  } catch (error) {
    if (error instanceof TargetRefused)
      throw unprocessable(`${error.message}. Choose another URL for the webhook.`, {
        issues: [{ path: "url", message: error.message }],
      });
    throw error;
  }
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const events = [...new Set(body.events)];
  const row = await inDbTransaction(database, false, async (tx) => {
    const [inserted] = await tx
      .insert(webhooks)
      .values({
        id,
        clientId,
        url: body.url,
        events,
        description: body.description || null,
        secretEncrypted: encryptSecret(secret),
        createdBy: actor.subject,
      })
      .returning(publicColumns);
    // Deliveries start with the changes committed after this one: each domain's feed is taken from its head now.
    await tx.insert(webhookCursors).select(
      tx
        .select({
          webhookId: sql<string>`${id}::uuid`.as("webhook_id"),
          domainId: domainChangeHeads.domainId,
          seq: domainChangeHeads.seq,
        })
        .from(domainChangeHeads)
        .where(eq(domainChangeHeads.clientId, clientId)),
    );
    const created = toWebhook(inserted!);
    await writeAudit(tx, {
      ...auditBy(actor, meta, "webhook", id, clientId),
      action: "webhook.create",
      after: created,
    });
    return created;
  });
  return { ...row, secret };
}

/** Deletes a webhook (its cursors and deliveries go with it) and answers what it was. */
export async function deleteWebhook(
  database: Database,
  { actor, meta, clientId, webhookId }: WriteBy & WebhookRef,
): Promise<Webhook> {
  return inDbTransaction(database, false, async (tx) => {
    const [deleted] = await tx
      .delete(webhooks)
      .where(and(eq(webhooks.clientId, clientId), eq(webhooks.id, webhookId)))
      .returning(publicColumns);
    if (!deleted) throw notFound(`Webhook "${webhookId}" not found in client "${clientId}"`);
    const before = toWebhook(deleted);
    await writeAudit(tx, {
      ...auditBy(actor, meta, "webhook", webhookId, clientId),
      action: "webhook.delete",
      before,
    });
    return before;
  });
}

/** The webhook's latest deliveries, newest first. */
export async function listDeliveries(
  database: Database,
  { clientId, webhookId, limit }: WebhookRef & { limit: number },
): Promise<{ items: WebhookDelivery[] }> {
  await getWebhook(database, { clientId, webhookId });
  const rows = await database.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, webhookId))
    .orderBy(
      desc(webhookDeliveries.createdAt),
      desc(webhookDeliveries.domainId),
      desc(webhookDeliveries.seq),
    )
    .limit(limit);
  return { items: rows.map(toDelivery) };
}

/**
 * Re-queues a delivery to be sent now (it keeps its id, so receivers still see the same X-Webhook-Id); audited,
 * since it sends the change to the receiver again.
 */
export async function retryDelivery(
  database: Database,
  { actor, meta, clientId, webhookId, deliveryId }: WriteBy & WebhookRef & { deliveryId: string },
): Promise<WebhookDelivery> {
  await getWebhook(database, { clientId, webhookId });
  const delivery = await inDbTransaction(database, false, async (tx) => {
    const [before] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.id, deliveryId)))
      .for("update");
    if (!before) throw notFound(`Delivery "${deliveryId}" not found for webhook "${webhookId}"`);
    const [row] = await tx
      .update(webhookDeliveries)
      .set({
        status: "pending",
        nextAttemptAt: sql`now()`,
        giveUpAt: sql`now() + interval '24 hours'`,
      })
      .where(eq(webhookDeliveries.id, before.id))
      .returning();
    await writeAudit(tx, {
      ...auditBy(actor, meta, "webhook", webhookId, clientId),
      action: "webhook.delivery_retry",
      before: toDelivery(before),
      after: toDelivery(row!),
    });
    return toDelivery(row!);
  });
  wakeDispatchers(database);
  return delivery;
}
