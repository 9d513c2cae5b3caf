// Rollouts (docs/decisions/115-rollouts.md): one assignment key moved to a model version across domains in ordered
// waves. Each wave is applied as a change request of each of its clients (openChangeRequestIn/applyChangeRequestIn,
// so the client's approval policy holds); its gate (time waited, synced share, no failed report, a person's
// promotion) is read from observed state (readSyncStatus). Every step runs in one transaction holding the rollout's
// row lock: the scheduler claims due rollouts with `for update skip locked` (tickRollouts), a person's action takes
// the same lock, so a step runs once whichever instance gets there first, and a crash mid-step rolls it back whole.
import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNotNull, lte, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { inQueryTransaction } from "@/db/dry-run";
import { toIso } from "@/db/iso";
import {
  assignments,
  changeRequests,
  rollouts,
  rolloutWaves,
  type RolloutActor,
  type RolloutServiceUpdate,
  type RolloutTarget,
} from "@/db/schema";
import { runBuilt, runOnQuery, type Built } from "@/db/statement";
import type { Database, Db, Query } from "@/db/types";
import { writeStatement } from "@/lib/server/assignments/upsert-assignment";
import { auditStatement } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import {
  applyChangeRequestIn,
  openChangeRequestIn,
  withdrawChangeRequestIn,
} from "@/lib/server/change-requests/change-requests";
import { planChanges, type ChangeSpec } from "@/lib/server/change-requests/plan-changes";
import { getHub } from "@/lib/server/changes/hub";
import { now as clockNow } from "@/lib/server/clock";
import { decodeCursor, pageOf } from "@/lib/server/http/cursor";
import { scopeLockStatement } from "@/lib/server/locks";
import { readSyncStatus, syncCountsOf } from "@/lib/server/observations/sync-status";
import { assignmentPutBody } from "@/lib/schemas/assignments";
import type {
  Rollout,
  RolloutGateInput,
  RolloutPreview,
  RolloutStatus,
  RolloutSummary,
  RolloutWave,
  RolloutWaveStatus,
  rolloutCreateBody,
  rolloutListQuery,
} from "@/lib/schemas/rollouts";
import type { SyncCounts } from "@/lib/schemas/observations";
import {
  ApiError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  unprocessable,
} from "@/lib/shared/errors";
import { hasScope, type Actor, type Scope } from "@/lib/shared/scopes";

/** How often a waiting wave is looked at again (its gate, its change requests' approvals). */
export const POLL_MS = 5_000;

type RolloutRow = {
  id: string;
  name: string;
  assignment_key: string;
  model_id: string;
  model_version: string;
  status: RolloutStatus;
  status_reason: string | null;
  current_wave: number;
  next_check_at: Date | string | null;
  client_ids: string[];
  service_updates: RolloutServiceUpdate[];
  actor: RolloutActor;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
};

type WaveRow = {
  rollout_id: string;
  position: number;
  name: string;
  targets: RolloutTarget[];
  gate: RolloutGateInput;
  status: RolloutWaveStatus;
  status_reason: string | null;
  change_requests: { client_id: string; id: string; number: number }[];
  previous: { client_id: string; domain_id: string; assignment_id: string | null }[];
  applied_at: Date | string | null;
  completed_at: Date | string | null;
  promoted_by: string | null;
  synced_percent: number | null;
};

type CreateBody = z.infer<typeof rolloutCreateBody>;
type Input = { actor: Actor; meta: WriteMeta };

const iso = (v: Date | string | null) => (v === null ? null : toIso(v));
const ms = (v: Date | string) => new Date(v).getTime();

// ---- tenancy ----

function mayTouch(actor: Actor, clientId: string): boolean {
  return actor.clients === "*" || actor.clients.has(clientId);
}

/** A rollout the caller may see: every client it moves is one of the caller's. */
function visible(actor: Actor, row: Pick<RolloutRow, "client_ids">): boolean {
  return row.client_ids.every((c) => mayTouch(actor, c));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * After a rollout's transaction committed on this process: the cached reads of its domains ask the database again
 * (read your own writes before the change notification comes back), as the route layer does for domain routes.
 */
function forgetDomains(database: Database, waves: readonly { targets: RolloutTarget[] }[]) {
  const hub = getHub(database);
  for (const w of waves) for (const t of w.targets) hub.forget(t.client_id, t.domain_id);
}

const rolloutNotFound = (id: string) => notFound(`Rollout "${id}" not found`);

/** The rollout's author as its steps act: the rights the author had when starting it. */
function actorOf(stored: RolloutActor): Actor {
  return {
    subject: stored.subject,
    scopes: new Set(stored.scopes as Scope[]),
    clients: stored.clients === "*" ? "*" : new Set(stored.clients),
    via: "token",
  };
}

function storedActor(actor: Actor): RolloutActor {
  return {
    subject: actor.subject,
    scopes: [...actor.scopes],
    clients: actor.clients === "*" ? "*" : [...actor.clients],
  };
}

// ---- reading ----

async function readRollout(
  db: Db,
  q: Query,
  id: string,
  lock: boolean,
): Promise<{ row: RolloutRow; waves: WaveRow[] } | null> {
  if (!UUID.test(id)) throw badRequest(`"${id}" is not a rollout id (a UUID)`);
  const select = db.select().from(rollouts).where(eq(rollouts.id, id));
  const [row] = await runBuilt<RolloutRow>(q, lock ? select.for("update") : select);
  if (!row) return null;
  const waves = await runBuilt<WaveRow>(
    q,
    db
      .select()
      .from(rolloutWaves)
      .where(eq(rolloutWaves.rolloutId, id))
      .orderBy(asc(rolloutWaves.position)),
  );
  return { row, waves };
}

function toWave(w: WaveRow, sync: SyncCounts | null): RolloutWave {
  return {
    position: w.position + 1,
    name: w.name,
    targets: w.targets,
    gate: w.gate,
    status: w.status,
    status_reason: w.status_reason,
    change_requests: w.change_requests,
    previous: w.previous,
    applied_at: iso(w.applied_at),
    completed_at: iso(w.completed_at),
    promoted_by: w.promoted_by,
    sync,
  };
}

function summaryFields(row: RolloutRow, waveCount: number): Omit<Rollout, "waves" | "preview"> {
  return {
    id: row.id,
    name: row.name,
    assignment_key: row.assignment_key,
    model_id: row.model_id,
    model_version: row.model_version,
    status: row.status,
    status_reason: row.status_reason,
    current_wave: row.current_wave >= waveCount ? null : row.current_wave + 1,
    next_check_at: row.status === "running" ? iso(row.next_check_at) : null,
    client_ids: row.client_ids,
    created_by: row.created_by,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

/** The sync counts of each wave that has applied (one statement for all of them), at `now`. */
async function waveSync(
  q: Query,
  row: RolloutRow,
  waves: readonly WaveRow[],
  now: Date,
): Promise<Map<number, SyncCounts>> {
  const applied = waves.filter((w) => w.applied_at !== null);
  const targets = applied.flatMap((w) =>
    w.targets.map((t) => ({
      clientId: t.client_id,
      domainId: t.domain_id,
      key: row.assignment_key,
    })),
  );
  const status = await readSyncStatus({ query: q }, targets, { now });
  const out = new Map<number, SyncCounts>();
  let i = 0;
  for (const w of applied) {
    const mine = status.slice(i, i + w.targets.length);
    i += w.targets.length;
    out.set(w.position, syncCountsOf(mine.flatMap((t) => t.services)));
  }
  return out;
}

async function toRollout(q: Query, row: RolloutRow, waves: WaveRow[]): Promise<Rollout> {
  const sync = await waveSync(q, row, waves, clockNow());
  return {
    ...summaryFields(row, waves.length),
    waves: waves.map((w) => toWave(w, sync.get(w.position) ?? null)),
  };
}

/** One rollout with its waves and each applied wave's sync counts now. */
export async function getRollout(
  database: Database,
  input: { actor: Actor; id: string },
): Promise<Rollout> {
  const found = await readRollout(database.db, database.query, input.id, false);
  if (!found || !visible(input.actor, found.row)) throw rolloutNotFound(input.id);
  return toRollout(database.query, found.row, found.waves);
}

/** Rollouts the caller may see, newest first. */
export async function listRollouts(
  database: Database,
  input: { actor: Actor } & z.infer<typeof rolloutListQuery>,
): Promise<{ items: RolloutSummary[]; next_cursor: string | null }> {
  const { actor, limit } = input;
  if (input.client_id && !mayTouch(actor, input.client_id))
    throw forbidden(`This token or session may not access client "${input.client_id}"`);
  const after = decodeCursor(input.cursor, ["string", "string"]);
  const conditions: (SQL | undefined)[] = [
    input.status ? eq(rollouts.status, input.status) : undefined,
    input.client_id
      ? sql`${rollouts.clientIds} @> jsonb_build_array(${input.client_id}::text)`
      : undefined,
    actor.clients === "*"
      ? undefined
      : sql`${rollouts.clientIds} <@ ${JSON.stringify([...actor.clients])}::jsonb`,
    after
      ? sql`(${rollouts.createdAt}, ${rollouts.id}) < (${after[0] as string}::timestamptz, ${after[1] as string}::uuid)`
      : undefined,
  ];
  const rows = await database.db
    .select({
      row: rollouts,
      wave_count: sql<number>`(select count(*)::int from ${rolloutWaves} w where w.rollout_id = ${rollouts.id})`,
      current_wave_name: sql<
        string | null
      >`(select w.name from ${rolloutWaves} w where w.rollout_id = ${rollouts.id} and w.position = ${rollouts.currentWave})`,
    })
    .from(rollouts)
    .where(and(...conditions))
    .orderBy(desc(rollouts.createdAt), desc(rollouts.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (r) => [r.row.createdAt.toISOString(), r.row.id]);
  return {
    items: page.items.map(({ row, wave_count, current_wave_name }) => ({
      ...summaryFields(
        {
          id: row.id,
          name: row.name,
          assignment_key: row.assignmentKey,
          model_id: row.modelId,
          model_version: row.modelVersion,
          status: row.status,
          status_reason: row.statusReason,
          current_wave: row.currentWave,
          next_check_at: row.nextCheckAt,
          client_ids: row.clientIds,
          service_updates: row.serviceUpdates,
          actor: row.actor,
          created_by: row.createdBy,
          created_at: row.createdAt,
          updated_at: row.updatedAt,
        },
        Number(wave_count),
      ),
      wave_count: Number(wave_count),
      current_wave_name,
    })),
    next_cursor: page.next_cursor,
  };
}

// ---- preview ----

/** Checks what starting (or previewing) a rollout needs: scopes, and every client one of the caller's. */
function checkAccess(actor: Actor, body: CreateBody): string[] {
  const clientIds = [
    ...new Set(body.waves.flatMap((w) => w.targets.map((t) => t.client_id))),
  ].sort();
  const foreign = clientIds.filter((c) => !mayTouch(actor, c));
  if (foreign.length > 0)
    throw forbidden(
      `This caller may not touch client${foreign.length === 1 ? "" : "s"} ${foreign.map((c) => `"${c}"`).join(", ")}; a rollout moves only domains of the caller's clients`,
    );
  if (clientIds.length > 1 && actor.clients !== "*")
    throw forbidden(
      `A rollout across several clients (${clientIds.join(", ")}) needs a caller with access to every client; start one rollout per client`,
    );
  if ((body.service_updates?.length ?? 0) > 0 && !hasScope(actor, "services:write"))
    throw forbidden(
      'service_updates change services: this token or session lacks the "services:write" scope they need',
    );
  return clientIds;
}

/** The service updates grouped by domain ("client/domain"), each one checked to name a domain of the rollout. */
function updatesByDomain(
  body: CreateBody,
  clientIds: string[],
): Map<string, RolloutServiceUpdate[]> {
  const domains = new Set(
    body.waves.flatMap((w) => w.targets.map((t) => `${t.client_id}/${t.domain_id}`)),
  );
  const out = new Map<string, RolloutServiceUpdate[]>();
  for (const [i, u] of (body.service_updates ?? []).entries()) {
    const clientId = u.client_id ?? (clientIds.length === 1 ? clientIds[0]! : undefined);
    if (clientId === undefined)
      throw unprocessable(
        `service_updates[${i}] needs client_id: the rollout moves domains of several clients`,
      );
    const id = `${clientId}/${u.domain_id}`;
    if (!domains.has(id))
      throw unprocessable(
        `service_updates[${i}] patches service "${u.service_id}" of domain "${u.domain_id}" (client "${clientId}"), which no wave moves; add the domain to a wave or drop the patch`,
      );
    const list = out.get(id) ?? [];
    list.push({
      client_id: clientId,
      domain_id: u.domain_id,
      service_id: u.service_id,
      static_features: u.static_features,
    });
    out.set(id, list);
  }
  return out;
}

type ActiveDefault = {
  assignment_id: string;
  client_id: string;
  domain_id: string;
  revision: number;
  model_id: string;
  model_version: string;
  role: string | null;
  settings: Record<string, unknown>;
  metadata: Record<string, unknown>;
};

/** Domain default rows with the columns of ActiveDefault. */
function selectDefaults(db: Db) {
  return db
    .select({
      assignment_id: sql<string>`${assignments.assignmentId}`.as("assignment_id"),
      client_id: sql<string>`${assignments.clientId}`.as("client_id"),
      domain_id: sql<string>`${assignments.domainId}`.as("domain_id"),
      revision: sql<number>`${assignments.revision}`.as("revision"),
      model_id: sql<string>`${assignments.modelId}`.as("model_id"),
      model_version: sql<string>`${assignments.modelVersion}`.as("model_version"),
      role: sql<string | null>`${assignments.role}`.as("role"),
      settings: sql<Record<string, unknown>>`${assignments.settings}`.as("settings"),
      metadata: sql<Record<string, unknown>>`${assignments.metadata}`.as("metadata"),
    })
    .from(assignments);
}

/** The active domain defaults of the key in some domains of one client (one statement). */
async function activeDefaults(
  q: Query,
  db: Db,
  clientId: string,
  domainIds: readonly string[],
  key: string,
): Promise<Map<string, ActiveDefault>> {
  const rows = await runBuilt<ActiveDefault>(
    q,
    selectDefaults(db).where(
      and(
        eq(assignments.clientId, clientId),
        inArray(assignments.domainId, [...domainIds]),
        eq(assignments.scope, ""),
        eq(assignments.assignmentKey, key),
        eq(assignments.status, "active"),
      ),
    ),
  );
  return new Map(rows.map((r) => [r.domain_id, r]));
}

type RolloutPlan = {
  assignment_key: string;
  model_id: string;
  model_version: string;
  updates: Map<string, RolloutServiceUpdate[]>;
};

/**
 * The change of one client's domains as a change request holds it: the domain default moved to the version,
 * keeping its role, settings and metadata, with the service updates of the domain.
 */
async function specsFor(
  q: Query,
  db: Db,
  plan: RolloutPlan,
  clientId: string,
  domainIds: readonly string[],
): Promise<ChangeSpec[]> {
  const active = await activeDefaults(q, db, clientId, domainIds, plan.assignment_key);
  return domainIds.map((domainId) => {
    const current = active.get(domainId);
    const updates = plan.updates.get(`${clientId}/${domainId}`) ?? [];
    return {
      domain_id: domainId,
      service_id: null,
      assignment_key: plan.assignment_key,
      body: assignmentPutBody.parse({
        model_id: plan.model_id,
        model_version: plan.model_version,
        ...(current
          ? { role: current.role, settings: current.settings, metadata: current.metadata }
          : {}),
        ...(updates.length > 0
          ? {
              service_updates: updates.map((u) => ({
                service_id: u.service_id,
                static_features: u.static_features,
              })),
            }
          : {}),
      }),
      if_match: null,
    };
  });
}

const groupByClient = (targets: readonly RolloutTarget[]) => {
  const out = new Map<string, string[]>();
  for (const t of targets) out.set(t.client_id, [...(out.get(t.client_id) ?? []), t.domain_id]);
  return out;
};

/** Each wave's affected and blocking services per domain, decided as the waves' change requests will be. */
async function previewIn(
  q: Query,
  db: Db,
  body: CreateBody,
  plan: RolloutPlan,
): Promise<RolloutPreview> {
  const waves: RolloutPreview["waves"] = [];
  for (const [i, wave] of body.waves.entries()) {
    const domains: RolloutPreview["waves"][number]["domains"] = [];
    for (const [clientId, domainIds] of groupByClient(wave.targets)) {
      const planned = await planChanges(
        q,
        clientId,
        await specsFor(q, db, plan, clientId, domainIds),
      );
      for (const p of planned) {
        const impact = p.stored.impact;
        if (impact.refusal)
          throw new ApiError(
            impact.refusal.status,
            `Wave ${i + 1} ("${wave.name}"), domain "${p.spec.domain_id}" of client "${clientId}": ${impact.refusal.message}`,
          );
        const moving = impact.moves.filter(
          (m) => m.to?.model_id === plan.model_id && m.to?.model_version === plan.model_version,
        );
        const from = new Map<string, { model_id: string; model_version: string }>();
        for (const m of moving)
          if (m.from) from.set(`${m.from.model_id}@${m.from.model_version}`, m.from);
        domains.push({
          client_id: clientId,
          domain_id: p.spec.domain_id,
          base_assignment_id: impact.base_assignment_id,
          from: [...from.values()].map((f) => ({
            model_id: f.model_id,
            model_version: f.model_version,
          })),
          affected_services: moving.flatMap((m) => m.service_ids).sort(),
          blocking_services: impact.blocking_services,
          unchanged: impact.unchanged,
        });
      }
    }
    waves.push({
      position: i + 1,
      name: wave.name,
      affected_count: domains.reduce((n, d) => n + d.affected_services.length, 0),
      blocking_count: domains.reduce((n, d) => n + d.blocking_services.length, 0),
      domains,
    });
  }
  return { blocked: waves.some((w) => w.blocking_count > 0), waves };
}

function planOf(body: CreateBody, clientIds: string[]): RolloutPlan {
  return {
    assignment_key: body.assignment_key,
    model_id: body.model_id,
    model_version: body.model_version,
    updates: updatesByDomain(body, clientIds),
  };
}

/** What a rollout would do, wave by wave: writes nothing. */
export async function previewRollout(
  database: Database,
  input: { actor: Actor; body: CreateBody },
): Promise<RolloutPreview> {
  const clientIds = checkAccess(input.actor, input.body);
  const plan = planOf(input.body, clientIds);
  return inQueryTransaction(database, true, (q) => previewIn(q, database.db, input.body, plan));
}

function blockedMessage(preview: RolloutPreview): string {
  const parts = preview.waves
    .filter((w) => w.blocking_count > 0)
    .map(
      (w) =>
        `wave ${w.position} ("${w.name}"): ` +
        w.domains
          .filter((d) => d.blocking_services.length > 0)
          .map(
            (d) =>
              `${d.domain_id} (${d.blocking_services
                .slice(0, 5)
                .map((b) => b.service_id)
                .join(", ")}${d.blocking_services.length > 5 ? ", …" : ""})`,
          )
          .join("; "),
    );
  return `The rollout can't start: services block it in ${parts.join("; ")}. Fix their features (or include service_updates) and start it again`;
}

// ---- events ----

function domainsOf(waves: readonly { targets: RolloutTarget[] }[], clientId: string): string[] {
  return [
    ...new Set(
      waves.flatMap((w) =>
        w.targets.filter((t) => t.client_id === clientId).map((t) => t.domain_id),
      ),
    ),
  ].sort();
}

/** The audit entries of a rollout's event, one per client (the change feed fans each out to its domains). */
async function audit(
  q: Query,
  db: Db,
  row: Pick<RolloutRow, "id" | "name" | "client_ids" | "status">,
  waves: readonly { targets: RolloutTarget[] }[],
  event: string,
  who: { subject: string; meta: WriteMeta },
  extra: Record<string, unknown> = {},
) {
  for (const clientId of row.client_ids) {
    await runOnQuery(q)(
      auditStatement(db, {
        actor: who.subject,
        action: `rollout.${event}`,
        entityType: "rollout",
        entityId: `${clientId}/rollouts/${row.id}`,
        clientId,
        requestId: who.meta.requestId,
        reason: who.meta.reason ?? null,
        after: {
          id: row.id,
          name: row.name,
          status: row.status,
          domain_ids: domainsOf(waves, clientId),
          ...extra,
        },
      }),
    );
  }
}

/** The audit entries of a step on a wave, in the rollout's own actor's name. */
function auditWave(
  ctx: Ctx,
  row: RolloutRow,
  waves: WaveRow[],
  wave: WaveRow,
  event: string,
  extra: Record<string, unknown> = {},
) {
  return audit(
    ctx.q,
    ctx.db,
    row,
    waves,
    event,
    { subject: row.actor.subject, meta: ctx.meta },
    { wave: wave.position + 1, ...extra },
  );
}

// ---- writes of the rollout's own rows ----

/** Runs an update of one row by its key; answers the row as it is now. */
async function updateOne<T>(q: Query, update: Built): Promise<T> {
  const [row] = await runBuilt<T>(q, update);
  return row!;
}

function updateRollout(
  q: Query,
  db: Db,
  id: string,
  set: Partial<typeof rollouts.$inferInsert>,
): Promise<RolloutRow> {
  const update = db.update(rollouts).set({ ...set, updatedAt: sql`now()` });
  return updateOne(q, update.where(eq(rollouts.id, id)).returning());
}

function updateWave(
  q: Query,
  db: Db,
  id: string,
  position: number,
  set: Partial<typeof rolloutWaves.$inferInsert>,
): Promise<WaveRow> {
  const where = and(eq(rolloutWaves.rolloutId, id), eq(rolloutWaves.position, position));
  return updateOne(q, db.update(rolloutWaves).set(set).where(where).returning());
}

// ---- one step ----

type Ctx = { q: Query; db: Db; now: Date; meta: WriteMeta };

/** One step of the rollout on its current wave, in the step's transaction; answers the rollout as it is now. */
type WaveStep = (ctx: Ctx, row: RolloutRow, waves: WaveRow[], wave: WaveRow) => Promise<RolloutRow>;

const waveLabel = (w: Pick<WaveRow, "position" | "name">) => `Wave ${w.position + 1} ("${w.name}")`;

/** Stops the rollout: the wave failed, and why. */
async function stop(
  ctx: Ctx,
  row: RolloutRow,
  waves: WaveRow[],
  wave: WaveRow,
  reason: string,
): Promise<RolloutRow> {
  const { q, db } = ctx;
  await updateWave(q, db, row.id, wave.position, { status: "failed", statusReason: reason });
  const stopped = await updateRollout(q, db, row.id, {
    status: "stopped",
    statusReason: reason,
    nextCheckAt: null,
  });
  await auditWave(ctx, stopped, waves, wave, "stopped", { reason });
  return stopped;
}

async function waitAgain(ctx: Ctx, row: RolloutRow, delayMs = POLL_MS): Promise<RolloutRow> {
  return updateRollout(ctx.q, ctx.db, row.id, {
    nextCheckAt: new Date(ctx.now.getTime() + Math.max(0, delayMs)),
  });
}

/**
 * Opens or applies the wave's change requests under a savepoint: when one is refused (an ApiError), everything the
 * step wrote is undone and the rollout stops with the refusal's message (answered); otherwise answers null.
 */
async function underSavepoint(
  ctx: Ctx,
  row: RolloutRow,
  waves: WaveRow[],
  wave: WaveRow,
  what: "opened" | "applied",
  step: () => Promise<void>,
): Promise<RolloutRow | null> {
  const savepoint = what === "opened" ? "rollout_wave_open" : "rollout_wave_apply";
  await ctx.q(`savepoint ${savepoint}`);
  try {
    await step();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    await ctx.q(`rollback to savepoint ${savepoint}`);
    return stop(ctx, row, waves, wave, `${waveLabel(wave)} could not be ${what}: ${error.message}`);
  }
  await ctx.q(`release savepoint ${savepoint}`);
  return null;
}

/**
 * Applies the wave's approved change requests (all of them, or none: a savepoint undoes a partial apply) and
 * records the revisions active before it. Answers the refusal's message when one refused.
 */
async function applyWave(
  ctx: Ctx,
  row: RolloutRow,
  waves: WaveRow[],
  wave: WaveRow,
  opened: { client_id: string; id: string; number: number }[],
): Promise<RolloutRow> {
  const { q, db } = ctx;
  const actor = actorOf(row.actor);
  let previous: WaveRow["previous"] = [];
  const refused = await underSavepoint(ctx, row, waves, wave, "applied", async () => {
    for (const cr of opened) {
      const { request, stale } = await applyChangeRequestIn(q, db, {
        actor,
        meta: ctx.meta,
        clientId: cr.client_id,
        id: cr.id,
      });
      if (stale) throw stale;
      previous = previous.concat(
        request.changes.map((c) => ({
          client_id: cr.client_id,
          domain_id: c.domain_id,
          assignment_id: c.impact.base_assignment_id,
        })),
      );
    }
  });
  if (refused) return refused;
  const applied = await updateWave(q, db, row.id, wave.position, {
    status: "applied",
    statusReason: null,
    previous,
    appliedAt: ctx.now,
  });
  await auditWave(ctx, row, waves, wave, "wave_applied", {
    change_request_ids: opened.map((c) => c.id),
  });
  // An empty gate passes at once: the next tick completes it.
  const gate = applied.gate;
  const waits = gate.wait_seconds ? gate.wait_seconds * 1000 : 0;
  return waitAgain(
    ctx,
    row,
    gate.manual || gate.min_synced_percent !== undefined
      ? Math.min(waits || POLL_MS, POLL_MS)
      : waits,
  );
}

/** Opens the wave's change requests (one per client) and applies them when no approval is needed. */
const openWave: WaveStep = async (ctx, row, waves, wave) => {
  const { q, db } = ctx;
  const actor = actorOf(row.actor);
  const plan: RolloutPlan = {
    assignment_key: row.assignment_key,
    model_id: row.model_id,
    model_version: row.model_version,
    updates: new Map(),
  };
  for (const u of row.service_updates) {
    const id = `${u.client_id}/${u.domain_id}`;
    plan.updates.set(id, [...(plan.updates.get(id) ?? []), u]);
  }
  const opened: { client_id: string; id: string; number: number; status: string }[] = [];
  const refused = await underSavepoint(ctx, row, waves, wave, "opened", async () => {
    for (const [clientId, domainIds] of groupByClient(wave.targets)) {
      const specs = await specsFor(q, db, plan, clientId, domainIds);
      const request = await openChangeRequestIn(q, db, {
        actor,
        meta: ctx.meta,
        clientId,
        body: {
          title: `Rollout "${row.name}": ${waveLabel(wave).toLowerCase()}`.slice(0, 200),
          description: `Moves ${row.assignment_key} to ${row.model_id}@${row.model_version} in ${domainIds.length} domain${domainIds.length === 1 ? "" : "s"} (rollout ${row.id}).`,
          changes: specs.map((s) => ({
            domain_id: s.domain_id,
            assignment_key: s.assignment_key,
            body: s.body,
          })),
        },
      });
      opened.push({
        client_id: clientId,
        id: request.id,
        number: request.number,
        status: request.status,
      });
    }
  });
  if (refused) return refused;
  const refs = opened.map(({ client_id, id, number }) => ({ client_id, id, number }));
  const withRequests = await updateWave(q, db, row.id, wave.position, {
    changeRequests: refs,
    status: "awaiting_approval",
  });
  if (opened.every((o) => o.status === "approved"))
    return applyWave(ctx, row, waves, withRequests, refs);
  await auditWave(ctx, row, waves, wave, "wave_awaiting_approval", {
    change_request_ids: refs.map((r) => r.id),
  });
  return waitAgain(ctx, row);
};

/** A wave whose requests wait for reviews: applied once every one is approved; stopped if one can't be. */
const checkApprovals: WaveStep = async (ctx, row, waves, wave) => {
  const { q, db } = ctx;
  const ids = wave.change_requests.map((c) => c.id);
  const rows = await runBuilt<{
    id: string;
    number: number;
    client_id: string;
    status: string;
    status_reason: string | null;
  }>(
    q,
    db
      .select({
        id: sql<string>`${changeRequests.id}`.as("id"),
        number: sql<number>`${changeRequests.number}`.as("number"),
        client_id: sql<string>`${changeRequests.clientId}`.as("client_id"),
        status: sql<string>`${changeRequests.status}`.as("status"),
        status_reason: sql<string | null>`${changeRequests.statusReason}`.as("status_reason"),
      })
      .from(changeRequests)
      .where(inArray(changeRequests.id, ids)),
  );
  const dead = rows.find((r) => !["open", "approved"].includes(r.status));
  if (dead)
    return stop(
      ctx,
      row,
      waves,
      wave,
      `${waveLabel(wave)}: change request #${dead.number} of client "${dead.client_id}" is ${dead.status}${dead.status_reason ? ` (${dead.status_reason})` : ""}; resume the rollout to open a new one`,
    );
  if (rows.length === ids.length && rows.every((r) => r.status === "approved"))
    return applyWave(ctx, row, waves, wave, wave.change_requests);
  return waitAgain(ctx, row);
};

/** The gate of an applied wave: passed (the next wave is due), failed (stopped), or not yet (checked again). */
const checkGate: WaveStep = async (ctx, row, waves, wave) => {
  const { q, db, now } = ctx;
  const gate = wave.gate;
  const status = await readSyncStatus(
    { query: q },
    wave.targets.map((t) => ({
      clientId: t.client_id,
      domainId: t.domain_id,
      key: row.assignment_key,
    })),
    { now },
  );
  const services = status.flatMap((t) => t.services.map((s) => ({ ...s, domain_id: t.domainId })));
  const counts = syncCountsOf(services);
  await updateWave(q, db, row.id, wave.position, { syncedPercent: counts.synced_percent });
  const promoted = wave.promoted_by !== null;
  // A failure counts when it is about this move: reported since the wave applied, or of the rollout's version (a
  // service that failed on its old model before the wave is not the wave's failure).
  const appliedMs = ms(wave.applied_at!);
  const failed = services.filter(
    (s) =>
      s.sync === "failed" &&
      s.observed !== null &&
      (new Date(s.observed.reported_at).getTime() >= appliedMs ||
        (s.observed.model_id === row.model_id && s.observed.model_version === row.model_version)),
  );
  if (failed.length > 0 && !promoted)
    return stop(
      ctx,
      row,
      waves,
      wave,
      `${waveLabel(wave)}: ${failed.length} service${failed.length === 1 ? "" : "s"} reported failed: ` +
        failed
          .slice(0, 5)
          .map(
            (s) =>
              `${s.service_id} in ${s.domain_id}${s.observed?.message ? ` ("${s.observed.message}")` : ""}`,
          )
          .join(", ") +
        (failed.length > 5 ? ", …" : "") +
        ". Fix them and resume, or roll back",
    );
  const elapsed = now.getTime() - ms(wave.applied_at!);
  const waitMs = (gate.wait_seconds ?? 0) * 1000;
  const waited = elapsed >= waitMs;
  const shareOk =
    gate.min_synced_percent === undefined || counts.synced_percent >= gate.min_synced_percent;
  const manualOk = !gate.manual;
  if (promoted || (waited && shareOk && manualOk)) {
    await updateWave(q, db, row.id, wave.position, { status: "completed", completedAt: now });
    const next = wave.position + 1;
    const done = next >= waves.length;
    const updated = await updateRollout(q, db, row.id, {
      currentWave: next,
      status: done ? "completed" : "running",
      nextCheckAt: done ? null : now,
    });
    await auditWave(ctx, updated, waves, wave, done ? "completed" : "wave_completed", {
      synced_percent: counts.synced_percent,
      promoted_by: wave.promoted_by,
    });
    return updated;
  }
  if (gate.timeout_seconds !== undefined && elapsed >= gate.timeout_seconds * 1000) {
    const missing = [
      !waited ? `waited ${Math.floor(elapsed / 1000)} of ${gate.wait_seconds} s` : null,
      !shareOk
        ? `${counts.synced_percent}% synced of the ${gate.min_synced_percent}% required`
        : null,
      !manualOk ? "no one promoted it" : null,
    ].filter(Boolean);
    return stop(
      ctx,
      row,
      waves,
      wave,
      `${waveLabel(wave)}: its gate timed out after ${gate.timeout_seconds} s (${missing.join("; ")})`,
    );
  }
  return waitAgain(ctx, row, waited ? POLL_MS : Math.min(POLL_MS, waitMs - elapsed));
};

/** The step of the current wave, by its status. */
const waveSteps: Partial<Record<RolloutWaveStatus, WaveStep>> = {
  pending: openWave,
  awaiting_approval: checkApprovals,
  applied: checkGate,
};

/** Runs the rollout's next step, in the caller's transaction (which holds the rollout's row lock). */
async function step(ctx: Ctx, row: RolloutRow, waves: WaveRow[]): Promise<RolloutRow> {
  if (row.status !== "running") return row;
  const wave = waves[row.current_wave];
  if (!wave)
    return updateRollout(ctx.q, ctx.db, row.id, { status: "completed", nextCheckAt: null });
  // A completed, failed or rolled back wave is never current while running; nothing to do.
  const next = waveSteps[wave.status];
  return next ? next(ctx, row, waves, wave) : waitAgain(ctx, row);
}

/**
 * Runs the rollout's steps that are due now, in the caller's transaction (a person's start, resume or promote
 * carries through what follows at once, e.g. the next wave after a passed gate, without waiting for a tick).
 */
async function stepWhileDue(ctx: Ctx, id: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const found = (await readRollout(ctx.db, ctx.q, id, false))!;
    const due =
      found.row.status === "running" &&
      found.row.next_check_at !== null &&
      ms(found.row.next_check_at) <= ctx.now.getTime();
    if (!due) return;
    await step(ctx, found.row, found.waves);
  }
}

/** The earliest `next_check_at` of a running rollout (the scheduler sleeps until then, or until its poll). */
export async function nextRolloutDue(database: Database): Promise<Date | null> {
  const [row] = await database.db
    .select({ at: sql<Date | string | null>`min(${rollouts.nextCheckAt})` })
    .from(rollouts)
    .where(and(eq(rollouts.status, "running"), isNotNull(rollouts.nextCheckAt)));
  return row?.at ? new Date(row.at) : null;
}

/**
 * The scheduler's ticker: claims due running rollouts one at a time (`for update skip locked`: instances share the
 * work, none waits on another's), runs each one's next step in the claim's transaction, and answers how many steps
 * ran. A crash mid-step rolls the whole step back; the rollout stays due and the next tick runs it.
 */
export async function tickRollouts(database: Database, now: Date, max = 100): Promise<number> {
  const { db } = database;
  let steps = 0;
  for (; steps < max; steps++) {
    const ran = await database.transaction(async (q) => {
      const [due] = await runBuilt<{ id: string }>(
        q,
        db
          .select({ id: rollouts.id })
          .from(rollouts)
          .where(and(eq(rollouts.status, "running"), lte(rollouts.nextCheckAt, now)))
          .orderBy(asc(rollouts.nextCheckAt))
          .limit(1)
          .for("update", { skipLocked: true }),
      );
      if (!due) return false;
      const found = (await readRollout(db, q, due.id, false))!;
      await step(
        { q, db, now, meta: { requestId: `rollout-step-${randomUUID()}` } },
        found.row,
        found.waves,
      );
      return found.waves;
    });
    if (!ran) break;
    forgetDomains(database, ran);
  }
  return steps;
}

// ---- people's writes ----

/** Starts a rollout: checks access, previews every wave (refused when a service blocks), then runs its first step. */
export async function createRollout(
  database: Database,
  input: Input & { body: CreateBody },
  options: { dryRun?: boolean } = {},
): Promise<Rollout> {
  const { db } = database;
  const { actor, meta, body } = input;
  const clientIds = checkAccess(actor, body);
  const plan = planOf(body, clientIds);
  const now = clockNow();
  const result = await inQueryTransaction(database, options.dryRun ?? false, async (q) => {
    const preview = await previewIn(q, db, body, plan);
    if (preview.blocked)
      throw unprocessable(
        blockedMessage(preview),
        {
          blocking_services: preview.waves.flatMap((w) =>
            w.domains.flatMap((d) => d.blocking_services),
          ),
          preview,
        },
        "incompatible_features",
      );
    const id = randomUUID();
    const [row] = await runBuilt<RolloutRow>(
      q,
      db
        .insert(rollouts)
        .values({
          id,
          name: body.name ?? `${body.assignment_key} → ${body.model_id}@${body.model_version}`,
          assignmentKey: body.assignment_key,
          modelId: body.model_id,
          modelVersion: body.model_version,
          status: "running",
          nextCheckAt: now,
          clientIds,
          serviceUpdates: [...plan.updates.values()].flat(),
          actor: storedActor(actor),
          createdBy: actor.subject,
        })
        .returning(),
    );
    const waves = await runBuilt<WaveRow>(
      q,
      db
        .insert(rolloutWaves)
        .values(
          body.waves.map((w, i) => ({
            rolloutId: id,
            position: i,
            name: w.name,
            targets: w.targets,
            gate: w.gate,
          })),
        )
        .returning(),
    );
    waves.sort((a, b) => a.position - b.position);
    await audit(
      q,
      db,
      row!,
      waves,
      "started",
      { subject: actor.subject, meta },
      {
        assignment_key: body.assignment_key,
        model_id: body.model_id,
        model_version: body.model_version,
        waves: waves.length,
      },
    );
    await stepWhileDue({ q, db, now, meta }, id);
    const after = (await readRollout(db, q, id, false))!;
    return { ...(await toRollout(q, after.row, after.waves)), preview };
  });
  if (!options.dryRun) forgetDomains(database, body.waves);
  return result;
}

export type RolloutAction = "pause" | "resume" | "promote" | "abort" | "rollback";

/** Withdraws the current wave's requests that were not applied (abort, rollback, a retried wave). */
async function withdrawOpen(ctx: Ctx, row: RolloutRow, wave: WaveRow | undefined) {
  if (!wave || wave.applied_at !== null) return;
  const ids = wave.change_requests.map((c) => c.id);
  if (ids.length === 0) return;
  const open = await runBuilt<{ id: string; client_id: string }>(
    ctx.q,
    ctx.db
      .select({
        id: sql<string>`${changeRequests.id}`.as("id"),
        client_id: sql<string>`${changeRequests.clientId}`.as("client_id"),
      })
      .from(changeRequests)
      .where(
        and(
          inArray(changeRequests.id, ids),
          inArray(changeRequests.status, ["open", "approved", "rejected", "stale"]),
        ),
      ),
  );
  for (const cr of open)
    await withdrawChangeRequestIn(ctx.q, ctx.db, {
      actor: actorOf(row.actor),
      meta: ctx.meta,
      clientId: cr.client_id,
      id: cr.id,
    });
}

type Restore = {
  client_id: string;
  domain_id: string;
  restored: string | null;
  assignment_id: string | null;
};

/**
 * Restores, in the caller's transaction, the domain default revisions that were active before each applied wave:
 * a new revision copying the earlier one (restored_from_revision), or the key retired where none was active.
 */
async function restore(
  ctx: Ctx,
  actor: Actor,
  row: RolloutRow,
  waves: WaveRow[],
): Promise<Restore[]> {
  const { q, db, meta } = ctx;
  const previous = waves
    .filter((w) => w.applied_at !== null && w.status !== "rolled_back")
    .flatMap((w) => w.previous);
  // Every domain's scope lock, sorted (no deadlock with a concurrent apply), before anything is read.
  const sorted = [...previous].sort((a, b) =>
    `${a.client_id}/${a.domain_id}` < `${b.client_id}/${b.domain_id}` ? -1 : 1,
  );
  for (const p of sorted)
    await runOnQuery(q)(
      scopeLockStatement({ clientId: p.client_id, domainId: p.domain_id, serviceId: null }),
    );
  const done: Restore[] = [];
  const key = row.assignment_key;
  const byClient = new Map<string, typeof previous>();
  for (const p of sorted) byClient.set(p.client_id, [...(byClient.get(p.client_id) ?? []), p]);
  const earlierIds = previous.flatMap((p) => (p.assignment_id ? [p.assignment_id] : []));
  const earlier = new Map(
    (earlierIds.length
      ? await runBuilt<ActiveDefault>(
          q,
          selectDefaults(db).where(inArray(assignments.assignmentId, earlierIds)),
        )
      : []
    ).map((r) => [r.assignment_id, r]),
  );
  const reason = meta.reason ?? `Rollback of rollout "${row.name}"`.slice(0, 500);
  for (const [clientId, list] of byClient) {
    const domainIds = list.map((p) => p.domain_id);
    const active = await activeDefaults(q, db, clientId, domainIds, key);
    const latest = new Map(
      (
        await runBuilt<{ domain_id: string; revision: number }>(
          q,
          db
            .select({
              domain_id: sql<string>`${assignments.domainId}`.as("domain_id"),
              revision: sql<number>`max(${assignments.revision})`.as("revision"),
            })
            .from(assignments)
            .where(
              and(
                eq(assignments.clientId, clientId),
                inArray(assignments.domainId, domainIds),
                eq(assignments.scope, ""),
                eq(assignments.assignmentKey, key),
              ),
            )
            .groupBy(assignments.domainId),
        )
      ).map((r) => [r.domain_id, Number(r.revision)]),
    );
    for (const p of list) {
      const current = active.get(p.domain_id) ?? null;
      const before = p.assignment_id ? earlier.get(p.assignment_id) : undefined;
      if (p.assignment_id !== null && current?.assignment_id === p.assignment_id) continue;
      if (p.assignment_id === null && current === null) continue;
      const body = before
        ? assignmentPutBody.parse({
            model_id: before.model_id,
            model_version: before.model_version,
            role: before.role,
            settings: before.settings,
            metadata: before.metadata,
            restored_from_revision: before.revision,
          })
        : assignmentPutBody.parse({
            model_id: current!.model_id,
            model_version: current!.model_version,
            status: "archived",
            role: current!.role,
            settings: current!.settings,
            metadata: current!.metadata,
          });
      const { assignment_key: _k, ...rest } = body;
      const [written] = await runOnQuery(q)<{ assignment_id: string }>(
        writeStatement(
          {
            clientId,
            domainId: p.domain_id,
            serviceId: null,
            key,
            body: rest,
            actor,
            meta: { ...meta, reason },
          },
          current,
          (latest.get(p.domain_id) ?? 0) + 1,
          [],
        ),
      );
      done.push({
        client_id: clientId,
        domain_id: p.domain_id,
        restored: p.assignment_id,
        assignment_id: written?.assignment_id ?? null,
      });
    }
  }
  return done;
}

/** A person's action on a rollout, in one transaction holding its row lock; resume and promote run the next step. */
export async function actOnRollout(
  database: Database,
  input: Input & { id: string; action: RolloutAction; wave?: number | undefined },
  options: { dryRun?: boolean } = {},
): Promise<Rollout> {
  const { db } = database;
  const { actor, meta, id, action } = input;
  const now = clockNow();
  const result = await inQueryTransaction(database, options.dryRun ?? false, async (q) => {
    const found = await readRollout(db, q, id, true);
    if (!found || !visible(actor, found.row)) throw rolloutNotFound(id);
    const { row, waves } = found;
    const ctx: Ctx = { q, db, now, meta };
    const who = { subject: actor.subject, meta };
    const wave = waves[row.current_wave];
    const label = `Rollout "${row.name}" is ${row.status}`;
    if (input.wave !== undefined && input.wave !== row.current_wave + 1)
      throw conflict(
        `Rollout "${row.name}" is ${row.current_wave >= waves.length ? "past its last wave" : `at wave ${row.current_wave + 1}`}, not wave ${input.wave}: reload it and decide again`,
      );
    let updated = row;
    switch (action) {
      case "pause": {
        if (row.status !== "running")
          throw conflict(`${label}: only a running rollout can be paused`);
        updated = await updateRollout(q, db, id, { status: "paused", nextCheckAt: null });
        await audit(q, db, updated, waves, "paused", who);
        break;
      }
      case "resume": {
        if (row.status !== "paused" && row.status !== "stopped")
          throw conflict(`${label}: only a paused or stopped rollout can be resumed`);
        if (wave && wave.status === "failed") {
          // The wave is tried again: requests it opened and could not apply are withdrawn, new ones opened.
          await withdrawOpen(ctx, row, wave);
          await updateWave(q, db, id, wave.position, {
            status: wave.applied_at !== null ? "applied" : "pending",
            statusReason: null,
            ...(wave.applied_at !== null ? {} : { changeRequests: [] }),
          });
        }
        updated = await updateRollout(q, db, id, {
          status: "running",
          statusReason: null,
          nextCheckAt: now,
        });
        await audit(q, db, updated, waves, "resumed", who);
        await stepWhileDue(ctx, id);
        break;
      }
      case "promote": {
        if (row.status !== "running" && row.status !== "paused")
          throw conflict(`${label}: only a running or paused rollout can be promoted`);
        if (!wave || wave.status !== "applied")
          throw conflict(
            wave?.status === "awaiting_approval"
              ? `${waveLabel(wave)} waits for its change request${wave.change_requests.length === 1 ? "" : "s"} (${wave.change_requests.map((c) => `#${c.number} of ${c.client_id}`).join(", ")}) to be approved; promotion passes a gate, not a review`
              : `${label}: its current wave has not applied yet, so there is no gate to pass`,
          );
        await updateWave(q, db, id, wave.position, { promotedBy: actor.subject });
        await audit(q, db, row, waves, "promoted", who, { wave: wave.position + 1 });
        if (row.status === "running") {
          await updateRollout(q, db, id, { nextCheckAt: now });
          await stepWhileDue(ctx, id);
        }
        break;
      }
      case "abort": {
        if (!["running", "paused", "stopped"].includes(row.status))
          throw conflict(`${label}: it can no longer be aborted`);
        await withdrawOpen(ctx, row, wave);
        updated = await updateRollout(q, db, id, {
          status: "aborted",
          statusReason: meta.reason ?? `Aborted by ${actor.subject}`,
          nextCheckAt: null,
        });
        await audit(q, db, updated, waves, "aborted", who);
        break;
      }
      case "rollback": {
        if (row.status === "rolled_back") throw conflict(`${label}: it was rolled back already`);
        if (!waves.some((w) => w.applied_at !== null))
          throw conflict(
            `${label}: no wave has applied, there is nothing to roll back (abort it instead)`,
          );
        await withdrawOpen(ctx, row, wave);
        const restored = await restore(ctx, actor, row, waves);
        await runBuilt(
          q,
          db
            .update(rolloutWaves)
            .set({ status: "rolled_back" })
            .where(and(eq(rolloutWaves.rolloutId, id), isNotNull(rolloutWaves.appliedAt))),
        );
        updated = await updateRollout(q, db, id, {
          status: "rolled_back",
          statusReason: meta.reason ?? `Rolled back by ${actor.subject}`,
          nextCheckAt: null,
        });
        await audit(q, db, updated, waves, "rolled_back", who, { restored });
        break;
      }
    }
    const after = (await readRollout(db, q, id, false))!;
    void updated;
    return toRollout(q, after.row, after.waves);
  });
  if (!options.dryRun) forgetDomains(database, result.waves);
  return result;
}
