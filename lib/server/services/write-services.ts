// Writes of services: create one, and PATCH (merge provided_features, rename, depart). A service must stay
// compatible with every assignment effective for it, so a change that would break one is refused with 422.
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { clients, domains, services } from "@/db/schema";
import type { Database, Tx } from "@/db/types";
import { inDbTransaction } from "@/db/dry-run";
import { readEffectiveEntries } from "@/lib/server/assignments/effective-contracts";
import { runOnTx } from "@/db/statement";
import { blockingMessage } from "@/lib/features/blocking-services";
import { blockingAfterChange } from "@/lib/features/contracts-after-change";
import { mergeFeatures } from "@/lib/features/merge-features";
import type { Features } from "@/lib/features/types";
import { writeAudit } from "@/lib/server/audit/write-audit";
import type { WriteMeta, WriteOptions } from "@/lib/server/audit/write-meta";
import { lockScope } from "@/lib/server/locks";
import { assertDirectWrite, auditBypass, readPolicies } from "@/lib/server/change-requests/policy";
import type { Actor } from "@/lib/shared/scopes";
import { conflict, isUniqueViolation, notFound, unprocessable } from "@/lib/shared/errors";
import type { BlockingService } from "@/lib/schemas/features";
import type { Service, serviceCreateBody, servicePatchBody } from "@/lib/schemas/services";
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
      if (!ctx) throw notFound(`Client "${clientId}" not found`);
      if (ctx.domainStatus === null)
        throw notFound(`Domain "${domainId}" not found in client "${clientId}"`);
      if (ctx.domainStatus !== "active")
        throw unprocessable(
          `Domain "${domainId}" is not active: activate it before adding services`,
        );
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
