// The dispatcher's two queue statements, each one statement (one round trip), prepared once per dispatcher:
//  - enqueue: every webhook's new changes (per domain, above its cursor) become webhook_deliveries rows, and the
//    cursors move past them; idempotent under races (unique (webhook, domain, seq); a cursor only moves forward);
//  - claim: the due heads of lanes, locked FOR UPDATE SKIP LOCKED and leased (locked_until).
import "server-only";
import {
  and,
  count,
  eq,
  gt,
  isNull,
  lt,
  lte,
  max,
  notExists,
  or,
  sql,
  type Column,
} from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/types";
import {
  changes,
  domainChangeHeads,
  webhookCursors,
  webhookDeliveries,
  webhooks,
} from "@/db/schema";

/** The most changes of one (webhook, domain) lane one enqueue takes; the dispatcher repeats while a lane is full. */
export const ENQUEUE_PER_LANE = 500;

const now = sql`now()`;
// A literal, not a bind parameter: the partial index webhook_deliveries_due (where status = 'pending') stays
// usable by the prepared statement's generic plan.
const isPending = (status: Column) => sql`${status} = 'pending'`;

/** `(a, b, …)`: the bare column names, for an insert's column list or an on-conflict target. */
const names = (...columns: Column[]) =>
  sql`(${sql.join(
    columns.map((c) => sql.identifier(c.name)),
    sql`, `,
  )})`;

/**
 * Enqueue: each (webhook, domain) lane with changes above its cursor gives up to ENQUEUE_PER_LANE of them; those of
 * a kind the webhook takes become deliveries, and the cursor moves past all of them. Answers how many changes it saw
 * (ENQUEUE_PER_LANE or more: call again).
 */
function enqueueStatement(db: Db) {
  const w = webhooks;
  const h = domainChangeHeads;
  const k = webhookCursors;
  const d = webhookDeliveries;
  const fromSeq = sql<number>`coalesce(${k.seq}, 0)`;
  const lanes = db.$with("lanes").as(
    db
      .select({
        webhookId: sql<string>`${w.id}`.as("webhook_id"),
        clientId: w.clientId,
        domainId: h.domainId,
        events: w.events,
        fromSeq: fromSeq.as("from_seq"),
      })
      .from(w)
      .innerJoin(h, eq(h.clientId, w.clientId))
      .leftJoin(k, and(eq(k.webhookId, w.id), eq(k.domainId, h.domainId)))
      .where(gt(h.seq, fromSeq)),
  );
  const next = db
    .select({ seq: changes.seq, kind: changes.kind })
    .from(changes)
    .where(
      and(
        eq(changes.clientId, lanes.clientId),
        eq(changes.domainId, lanes.domainId),
        gt(changes.seq, lanes.fromSeq),
      ),
    )
    .orderBy(changes.seq)
    .limit(sql.placeholder("perLane"))
    .as("c");
  const cand = db.$with("cand").as(
    db
      .select({
        webhookId: lanes.webhookId,
        clientId: lanes.clientId,
        domainId: lanes.domainId,
        seq: next.seq,
        kind: next.kind,
        events: lanes.events,
      })
      .from(lanes)
      .crossJoinLateral(next),
  );
  // SQL with Drizzle's pieces rather than db.insert(…).select(…): Drizzle's insert … select lists every column of the
  // table, so the select would have to restate the defaults the schema gives the rest (id, status, attempts, times).
  const inserted = db.$with("ins", {}).as(
    sql`insert into ${d} ${names(d.webhookId, d.clientId, d.domainId, d.seq)} ${db
      .select({
        webhookId: cand.webhookId,
        clientId: cand.clientId,
        domainId: cand.domainId,
        seq: cand.seq,
      })
      .from(cand)
      .where(sql`${cand.events} @> to_jsonb(${cand.kind})`)}
    on conflict ${names(d.webhookId, d.domainId, d.seq)} do nothing`,
  );
  const cursors = db.$with("cur").as(
    db
      .insert(k)
      .select((qb) =>
        qb
          .select({
            webhookId: cand.webhookId,
            domainId: cand.domainId,
            seq: max(cand.seq).as("seq"),
          })
          .from(cand)
          .groupBy(cand.webhookId, cand.domainId),
      )
      .onConflictDoUpdate({
        target: [k.webhookId, k.domainId],
        set: { seq: sql`greatest(${k.seq}, excluded.seq)` },
      }),
  );
  // Data-modifying CTEs run to completion whether or not the main query reads them.
  return db.with(lanes, cand, inserted, cursors).select({ seen: count() }).from(cand);
}

/**
 * Claim: the due heads of lanes (no earlier pending change in their (webhook, domain) lane), locked without waiting
 * for rows another instance is claiming, and leased for `leaseMs`; their attempt is counted now.
 */
function claimStatement(db: Db) {
  const d = webhookDeliveries;
  const x = alias(webhookDeliveries, "x");
  const e = alias(webhookDeliveries, "e");
  const picked = db
    .select({ id: x.id })
    .from(x)
    .where(
      and(
        isPending(x.status),
        lte(x.nextAttemptAt, now),
        or(isNull(x.lockedUntil), lt(x.lockedUntil, now)),
        notExists(
          db
            .select({ one: sql`1` })
            .from(e)
            .where(
              and(
                eq(e.webhookId, x.webhookId),
                eq(e.domainId, x.domainId),
                isPending(e.status),
                lt(e.seq, x.seq),
              ),
            ),
        ),
      ),
    )
    .orderBy(x.nextAttemptAt)
    .limit(sql.placeholder("batch"))
    .for("update", { skipLocked: true })
    .as("picked");
  return db
    .update(d)
    .set({
      lockedUntil: sql`now() + ${sql.placeholder("leaseMs")} * interval '1 millisecond'`,
      attempts: sql`${d.attempts} + 1`,
      lastAttemptAt: now,
    })
    .from(picked)
    .where(eq(d.id, picked.id))
    .returning({ id: d.id });
}

/** Both statements, prepared (named, so PostgreSQL plans each once per connection). */
export function prepareQueue(db: Db) {
  const enqueue = enqueueStatement(db).prepare("webhook_enqueue_v2");
  const claim = claimStatement(db).prepare("webhook_claim_v2");
  return {
    /** Enqueues new changes; answers how many it saw. */
    enqueue: async (): Promise<number> => {
      const [row] = await enqueue.execute({ perLane: ENQUEUE_PER_LANE });
      return row?.seen ?? 0;
    },
    /** Claims and leases up to `batch` due deliveries; answers their ids. */
    claim: async (options: { leaseMs: number; batch: number }): Promise<string[]> =>
      (await claim.execute(options)).map((row) => row.id),
  };
}
