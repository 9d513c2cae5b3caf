// Writes of services: create one, and PATCH (merge provided_features, rename, depart). A service must stay
// compatible with every assignment effective for it, so a change that would break one is refused with 422.
import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import { clients, domains, services } from "@/db/schema";
import type { Database, Tx } from "@/db/types";
import { inDbTransaction } from "@/db/dry-run";
import {
  readEffectiveEntries,
  readEffectiveEntriesOfMany,
} from "@/lib/server/assignments/effective-contracts";
import { runOnTx } from "@/db/statement";
import { blockingMessage } from "@/lib/features/blocking-services";
import { blockingAfterChange } from "@/lib/features/contracts-after-change";
import { mergeFeatures } from "@/lib/features/merge-features";
import type { Features } from "@/lib/features/types";
import { auditInsert, writeAudit } from "@/lib/server/audit/write-audit";
import type { WriteMeta, WriteOptions } from "@/lib/server/audit/write-meta";
import { lockScope } from "@/lib/server/locks";
import { assertDirectWrite, auditBypass, readPolicies } from "@/lib/server/change-requests/policy";
import type { Actor } from "@/lib/shared/scopes";
import { conflict, isUniqueViolation, notFound, unprocessable } from "@/lib/shared/errors";
import type { BlockingService } from "@/lib/schemas/features";
import type {
  Service,
  ServiceBulkPatchResult,
  serviceBulkPatchBody,
  serviceCreateBody,
  servicePatchBody,
} from "@/lib/schemas/services";
import { serviceFields, toServiceRow } from "./service-row";

/** Who writes and the request's id and change reason: every service write carries them. */
type ServiceWriteInput = {
  actor: Actor;
  meta: WriteMeta;
  clientId: string;
  domainId: string;
  /** X-Approval-Bypass: an all-clients admin's reason to write around the domain's required approvals. */
  bypass?: string | null;
};

/**
 * The domain's approval policy, read under the scope lock: a protected domain's services change only through
 * change requests, or an all-clients admin's bypass (audited); a dry run still answers.
 */
async function checkPolicy(
  tx: Tx,
  input: ServiceWriteInput & { serviceId: string },
  { dryRun }: WriteOptions,
): Promise<void> {
  const { clientId, domainId } = input;
  const policy = (await readPolicies(tx, clientId, [domainId])).get(domainId);
  const requiredApprovals = policy?.required_approvals ?? 0;
  const bypass = input.bypass ?? null;
  assertDirectWrite({ ...input, requiredApprovals, bypass, dryRun: dryRun ?? false });
  if (bypass !== null && requiredApprovals > 0)
    await auditBypass(tx, {
      ...input,
      bypass,
      requiredApprovals,
      what: `service ${clientId}/${domainId}/${input.serviceId}`,
    });
}

/** The write in one transaction (rolled back for a dry run); a duplicate service id is a 409. */
async function runWrite(
  database: Database,
  fn: (tx: Tx) => Promise<Service>,
  { dryRun }: WriteOptions,
): Promise<Service> {
  try {
    return await inDbTransaction(database, dryRun, fn);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("The service already exists");
    throw error;
  }
}

/** The service with these features against every assignment effective for it: the rule assignment writes use too. */
async function blockingFor(
  tx: Tx,
  clientId: string,
  domainId: string,
  serviceId: string,
  features: Features,
): Promise<BlockingService | null> {
  const entries = await readEffectiveEntries(runOnTx(tx), clientId, domainId, [serviceId]);
  return blockingAfterChange(entries, serviceId, features);
}

/**
 * What a create or patch records in its audit entry's `after`, returned by the write itself: the written row as
 * the SQL of these writes has always recorded it (`to_jsonb` of its API columns: service_id for id, PostgreSQL's
 * timestamp text), not the wire shape.
 */
const serviceAudit = sql<unknown>`jsonb_build_object('client_id', ${services.clientId},
  'domain_id', ${services.domainId}, 'service_id', ${services.id}, 'name', ${services.name},
  'provided_features', ${services.providedFeatures}, 'status', ${services.status},
  'created_at', ${services.createdAt}, 'updated_at', ${services.updatedAt})`;

/** A write to a domain's services: the client and the domain exist (404 otherwise), and the domain is active (422). */
function assertDomainActive<T extends { domainStatus: string | null }>(
  ctx: T | undefined,
  clientId: string,
  domainId: string,
  doing: string,
): asserts ctx is T {
  if (!ctx) throw notFound(`Client "${clientId}" not found`);
  if (ctx.domainStatus === null)
    throw notFound(`Domain "${domainId}" not found in client "${clientId}"`);
  if (ctx.domainStatus !== "active")
    throw unprocessable(`Domain "${domainId}" is not active: activate it before ${doing}`);
}

function incompatible(blocking: BlockingService, serviceId: string): Error {
  return unprocessable(blockingMessage([blocking], { kind: "service-features", serviceId }), {
    blocking_services: [blocking],
  });
}

export async function patchService(
  database: Database,
  input: ServiceWriteInput & { serviceId: string; patch: z.infer<typeof servicePatchBody> },
  options: WriteOptions = {},
): Promise<Service> {
  const { clientId, domainId, serviceId, patch, meta } = input;
  return runWrite(
    database,
    async (tx) => {
      await lockScope(tx, input);
      await checkPolicy(tx, input, options);
      const [found] = await tx
        .select({ domainStatus: domains.status, service: serviceFields })
        .from(domains)
        .leftJoin(
          services,
          and(
            eq(services.clientId, domains.clientId),
            eq(services.domainId, domains.id),
            eq(services.id, serviceId),
          ),
        )
        .where(and(eq(domains.clientId, clientId), eq(domains.id, domainId)));
      if (!found) {
        const [c] = await tx
          .select({ id: clients.id })
          .from(clients)
          .where(eq(clients.id, clientId));
        throw notFound(
          c
            ? `Domain "${domainId}" not found in client "${clientId}"`
            : `Client "${clientId}" not found`,
        );
      }
      const current = found.service;
      if (!current) throw notFound(`Service "${serviceId}" not found in domain "${domainId}"`);
      if (found.domainStatus !== "active")
        throw unprocessable(
          `Domain "${domainId}" is not active: activate it before changing its services`,
        );
      if (current.status === "departed")
        throw unprocessable(
          `Service "${serviceId}" has departed domain "${domainId}" and can't be patched`,
        );

      const merged = mergeFeatures(current.provided_features ?? {}, patch.provided_features ?? {});
      const name = patch.name !== undefined ? patch.name : current.name;
      const status = patch.status ?? current.status;
      if (!merged.changed && name === current.name && status === current.status)
        return toServiceRow(current);
      if (merged.changed && status === "active") {
        const blocking = await blockingFor(tx, clientId, domainId, serviceId, merged.features);
        if (blocking) throw incompatible(blocking, serviceId);
      }
      const [updated] = await tx
        .update(services)
        .set({ providedFeatures: merged.features, name, status, updatedAt: sql`now()` })
        .where(
          and(
            eq(services.clientId, clientId),
            eq(services.domainId, domainId),
            eq(services.id, serviceId),
          ),
        )
        .returning({ ...serviceFields, audit: serviceAudit });
      await writeAudit(tx, {
        actor: input.actor.subject,
        // A departed service can't be patched (above): departing is a patch to "departed".
        action: status === "departed" ? "service.depart" : "service.patch",
        entityType: "service",
        entityId: `${clientId}/${domainId}/${serviceId}`,
        clientId,
        requestId: meta.requestId,
        reason: meta.reason ?? null,
        // The wire shape before, the row after: what this entry has always recorded.
        before: toServiceRow(current),
        after: updated!.audit,
      });
      return toServiceRow(updated!);
    },
    options,
  );
}

export async function createService(
  database: Database,
  input: ServiceWriteInput & { body: z.infer<typeof serviceCreateBody> },
  options: WriteOptions = {},
): Promise<Service> {
  const { clientId, domainId, body, meta } = input;
  return runWrite(
    database,
    async (tx) => {
      await lockScope(tx, { clientId, domainId, serviceId: body.service_id });
      await checkPolicy(tx, { ...input, serviceId: body.service_id }, options);
      // No row: no such client; no domain status: no such domain in it; a service id: the service exists.
      const [ctx] = await tx
        .select({ domainStatus: domains.status, serviceId: services.id })
        .from(clients)
        .leftJoin(domains, and(eq(domains.clientId, clients.id), eq(domains.id, domainId)))
        .leftJoin(
          services,
          and(
            eq(services.clientId, domains.clientId),
            eq(services.domainId, domains.id),
            eq(services.id, body.service_id),
          ),
        )
        .where(eq(clients.id, clientId));
      assertDomainActive(ctx, clientId, domainId, "adding services");
      if (ctx.serviceId !== null)
        throw conflict(
          `Service "${body.service_id}" already exists in domain "${domainId}"; PATCH it instead`,
        );
      // JSON nulls mean "absent" in a merge patch; a new service simply does not have those keys.
      const features = mergeFeatures({}, body.provided_features ?? {}).features;
      const blocking = await blockingFor(tx, clientId, domainId, body.service_id, features);
      if (blocking) throw incompatible(blocking, body.service_id);
      const [inserted] = await tx
        .insert(services)
        .values({
          clientId,
          domainId,
          id: body.service_id,
          name: body.name ?? null,
          providedFeatures: features,
          status: "active",
        })
        .returning({ ...serviceFields, audit: serviceAudit });
      await writeAudit(tx, {
        actor: input.actor.subject,
        action: "service.create",
        entityType: "service",
        entityId: `${clientId}/${domainId}/${body.service_id}`,
        clientId,
        requestId: meta.requestId,
        reason: meta.reason ?? null,
        after: inserted!.audit,
      });
      return toServiceRow(inserted!);
    },
    options,
  );
}

/** At most this many services are named in a bulk write's refusal message (the rest are counted). */
const NAMED = 10;

function named(ids: readonly string[]): string {
  const shown = ids
    .slice(0, NAMED)
    .map((id) => `"${id}"`)
    .join(", ");
  return ids.length > NAMED ? `${shown} and ${ids.length - NAMED} more` : shown;
}

/**
 * The bulk write's one data statement: the changed services' new values as a JSON array (a bind parameter) turned
 * into rows, one UPDATE … FROM them, and one audit entry per changed service (as the single PATCH writes it) in a
 * data-modifying CTE. However many services change, it stays this one statement (decision 082).
 */
function bulkUpdateSql(input: {
  clientId: string;
  domainId: string;
  rows: { id: string; name: string | null; status: string; features: Features; before: Service }[];
  actor: string;
  requestId: string;
  reason: string | null;
}): SQL {
  const { clientId, domainId } = input;
  const c = (column: { name: string }) => sql.identifier(column.name);
  const s = services;
  return sql`with v as (
    select * from jsonb_to_recordset(${JSON.stringify(input.rows)}::jsonb)
      as v(id text, name text, status text, features jsonb, before jsonb)
  ), upd as (
    update ${s} set ${c(s.providedFeatures)} = v.features, ${c(s.name)} = v.name, ${c(s.status)} = v.status,
      ${c(s.updatedAt)} = now()
    from v where ${s.clientId} = ${clientId} and ${s.domainId} = ${domainId} and ${s.id} = v.id
    returning ${s.clientId} as client_id, ${s.domainId} as domain_id, ${s.id} as service_id, ${s.name} as name,
      ${s.providedFeatures} as provided_features, ${s.status} as status, ${s.createdAt} as created_at,
      ${s.updatedAt} as updated_at, ${serviceAudit} as audit, v.before as before
  ), audit as (
    ${auditInsert(sql`upd`, {
      actor: sql`${input.actor}`,
      action: sql`case when upd.status = 'departed' then 'service.depart' else 'service.patch' end`,
      entityType: sql`'service'`,
      entityId: sql`${`${clientId}/${domainId}/`} || upd.service_id`,
      clientId: sql`${clientId}`,
      requestId: sql`${input.requestId}`,
      reason: sql`${input.reason}`,
      before: sql`upd.before`,
      after: sql`upd.audit`,
      assignmentId: sql`null::uuid`,
    })}
  )
  select client_id, domain_id, service_id, name, provided_features, status, created_at, updated_at from upd`;
}

type BulkItem = z.infer<typeof serviceBulkPatchBody>["items"][number];

/**
 * PATCH many services of one domain at once (PATCH …/services): each item as the single PATCH takes it, all
 * written or none. Under the domain's exclusive lock, a fixed number of statements whatever the number of items:
 * the policy, the domain and the named services, their effective contracts, then one UPDATE with its audit rows.
 * An unknown or departed service, or a patch that would break a version assigned to a service, refuses the whole
 * write (422, naming them).
 */
export async function patchServices(
  database: Database,
  input: ServiceWriteInput & { items: BulkItem[] },
  options: WriteOptions = {},
): Promise<ServiceBulkPatchResult> {
  const { clientId, domainId, items, meta } = input;
  const ids = items.map((i) => i.service_id);
  return inDbTransaction(database, options.dryRun, async (tx) => {
    // The domain's own lock: a bulk write excludes every other write in the domain, as a domain default's does.
    await lockScope(tx, { clientId, domainId, serviceId: null });
    const policy = (await readPolicies(tx, clientId, [domainId])).get(domainId);
    const requiredApprovals = policy?.required_approvals ?? 0;
    const bypass = input.bypass ?? null;
    assertDirectWrite({ ...input, requiredApprovals, bypass, dryRun: options.dryRun ?? false });
    if (bypass !== null && requiredApprovals > 0)
      await auditBypass(tx, {
        ...input,
        bypass,
        requiredApprovals,
        what: `${items.length} services of ${clientId}/${domainId} (PATCH services)`,
      });

    const [ctx] = await tx
      .select({ domainStatus: domains.status })
      .from(clients)
      .leftJoin(domains, and(eq(domains.clientId, clients.id), eq(domains.id, domainId)))
      .where(eq(clients.id, clientId));
    assertDomainActive(ctx, clientId, domainId, "changing its services");

    const found = await tx
      .select(serviceFields)
      .from(services)
      .where(
        and(
          eq(services.clientId, clientId),
          eq(services.domainId, domainId),
          // One array parameter, not one bind parameter per service.
          sql`${services.id} = any(${sql.param(ids)}::text[])`,
        ),
      );
    const current = new Map(found.map((row) => [row.service_id, row]));
    const unknown = ids.filter((id) => !current.has(id));
    if (unknown.length > 0)
      throw unprocessable(
        `${unknown.length === 1 ? "Service" : `${unknown.length} services`} not in domain "${domainId}": ${named(unknown)}. Nothing was written; remove ${unknown.length === 1 ? "it" : "them"} or add ${unknown.length === 1 ? "it" : "them"} first (POST …/services).`,
      );
    const departed = ids.filter((id) => current.get(id)!.status === "departed");
    if (departed.length > 0)
      throw unprocessable(
        `${departed.length === 1 ? "Service" : `${departed.length} services`} ${named(departed)} ${departed.length === 1 ? "has" : "have"} departed domain "${domainId}" and can't be patched. Nothing was written; remove ${departed.length === 1 ? "it" : "them"} from items.`,
      );

    type Planned = {
      item: BulkItem;
      before: (typeof found)[number];
      features: Features;
      name: string | null;
      status: "active" | "departed";
      changed: boolean;
      featuresChanged: boolean;
    };
    const planned: Planned[] = items.map((item) => {
      const before = current.get(item.service_id)!;
      const merged = mergeFeatures(before.provided_features ?? {}, item.provided_features ?? {});
      const name = item.name !== undefined ? item.name : before.name;
      const status = item.status ?? before.status;
      return {
        item,
        before,
        features: merged.features,
        name,
        status,
        featuresChanged: merged.changed,
        changed: merged.changed || name !== before.name || status !== before.status,
      };
    });

    // The contracts of every service whose features change, read once; checked per service as the single PATCH does.
    const checked = planned.filter((p) => p.featuresChanged && p.status === "active");
    if (checked.length > 0) {
      const entries = await readEffectiveEntriesOfMany(
        runOnTx(tx),
        clientId,
        domainId,
        checked.map((p) => p.item.service_id),
      );
      // Per service, the domain defaults and its own assignments only: no pass over every entry per service.
      const defaults = entries.filter((e) => e.scope === "");
      const own = new Map<string, typeof entries>();
      for (const e of entries)
        if (e.scope !== "") own.set(e.scope, [...(own.get(e.scope) ?? []), e]);
      const blocking = checked
        .map((p) =>
          blockingAfterChange(
            [...defaults, ...(own.get(p.item.service_id) ?? [])],
            p.item.service_id,
            p.features,
          ),
        )
        .filter((b): b is BlockingService => b !== null);
      if (blocking.length > 0)
        throw unprocessable(
          blockingMessage(blocking, { kind: "services-features" }),
          { blocking_services: blocking },
          "incompatible_features",
        );
    }

    const changed = planned.filter((p) => p.changed);
    const written = new Map<string, Service>();
    if (changed.length > 0) {
      const rows = await runOnTx(tx)<Parameters<typeof toServiceRow>[0]>(
        bulkUpdateSql({
          clientId,
          domainId,
          rows: changed.map((p) => ({
            id: p.item.service_id,
            name: p.name,
            status: p.status,
            features: p.features,
            before: toServiceRow(p.before),
          })),
          actor: input.actor.subject,
          requestId: meta.requestId,
          reason: meta.reason ?? null,
        }),
      );
      for (const row of rows) written.set(row.service_id, toServiceRow(row));
    }
    return {
      dry_run: options.dryRun ?? false,
      updated: changed.length,
      unchanged: planned.length - changed.length,
      items: planned.map((p) => {
        const service = written.get(p.item.service_id);
        return service
          ? { service_id: p.item.service_id, outcome: "updated" as const, service }
          : {
              service_id: p.item.service_id,
              outcome: "unchanged" as const,
              service: toServiceRow(p.before),
            };
      }),
    };
  });
}
