// Writes of services: create one, and PATCH (merge provided_features, rename, depart). A service must stay
// compatible with every assignment effective for it, so a change that would break one is refused with 422.
import "server-only";
import type { z } from "zod";
import type { Database, Query } from "@/db/types";
import { inTransaction } from "@/db/dry-run";
import {
  effectiveEntriesFor,
  loadEffectiveEntries,
} from "@/lib/server/assignments/effective-contracts";
import { blockingEntry, blockingMessage } from "@/lib/features/blocking-services";
import { checkCompatibility } from "@/lib/features/check-compatibility";
import { mergeFeatures } from "@/lib/features/merge-features";
import type { Features } from "@/lib/features/types";
import { auditInsertSql } from "@/lib/server/audit/write-audit";
import type { WriteMeta } from "@/lib/server/audit/write-meta";
import { lockScope } from "@/lib/server/locks";
import type { Actor } from "@/lib/shared/scopes";
import { conflict, isUniqueViolation, notFound, unprocessable } from "@/lib/shared/errors";
import type { BlockingService } from "@/lib/schemas/features";
import type { Service, serviceCreateBody, servicePatchBody } from "@/lib/schemas/services";
import { SERVICE_COLUMNS, toServiceRow, type ServiceDbRow } from "./service-row";

/** Who writes and the request's id and change reason: every service write carries them. */
type WriteInput = { actor: Actor; meta: WriteMeta; clientId: string; domainId: string };

export type ServiceWriteOptions = { dryRun?: boolean };

/** The write in one transaction (rolled back for a dry run); a duplicate service id is a 409. */
async function runWrite(
  database: Database,
  fn: (q: Query) => Promise<Service>,
  { dryRun }: ServiceWriteOptions,
): Promise<Service> {
  try {
    return await inTransaction(database, dryRun, fn);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("The service already exists");
    throw error;
  }
}

async function blockingFor(
  q: Query,
  clientId: string,
  domainId: string,
  serviceId: string,
  features: Features,
): Promise<BlockingService | null> {
  const entries = effectiveEntriesFor(
    await loadEffectiveEntries(q, clientId, domainId, [serviceId]),
    serviceId,
  );
  return blockingEntry(
    serviceId,
    entries.map((e) => checkCompatibility(serviceId, features, e.features)),
  );
}

function incompatible(blocking: BlockingService, serviceId: string): Error {
  return unprocessable(blockingMessage([blocking], { kind: "service-features", serviceId }), {
    blocking_services: [blocking],
  });
}

export async function patchService(
  database: Database,
  input: WriteInput & { serviceId: string; patch: z.infer<typeof servicePatchBody> },
  options: ServiceWriteOptions = {},
): Promise<Service> {
  const { clientId, domainId, serviceId, patch, meta } = input;
  return runWrite(
    database,
    async (q) => {
      await lockScope(q, input);
      const [current] = await q<ServiceDbRow & { domain_status: string | null }>(
        `select ${SERVICE_COLUMNS}, d.status as domain_status from domains d
         left join services s on s.client_id = d.client_id and s.domain_id = d.id and s.id = $3
         where d.client_id = $1 and d.id = $2`,
        [clientId, domainId, serviceId],
      );
      if (!current) {
        const [c] = await q(`select 1 from clients where id = $1`, [clientId]);
        throw notFound(
          c
            ? `Domain "${domainId}" not found in client "${clientId}"`
            : `Client "${clientId}" not found`,
        );
      }
      if (!current.service_id)
        throw notFound(`Service "${serviceId}" not found in domain "${domainId}"`);
      if (current.domain_status !== "active")
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
        const blocking = await blockingFor(q, clientId, domainId, serviceId, merged.features);
        if (blocking) throw incompatible(blocking, serviceId);
      }
      const [row] = await q<ServiceDbRow>(
        `with upd as (
           update services s set provided_features = $4::jsonb, name = $5, status = $6, updated_at = now()
           where s.client_id = $1 and s.domain_id = $2 and s.id = $3
           returning ${SERVICE_COLUMNS}
         ), audit as (
           ${auditInsertSql("upd", {
             actor: "$7",
             action:
               "case when $6 = 'departed' and $8 <> 'departed' then 'service.depart' else 'service.patch' end",
             entityType: "'service'",
             entityId: "$1 || '/' || $2 || '/' || $3",
             clientId: "$1",
             requestId: "$9",
             reason: "$11",
             before: "$10::jsonb",
             after: "to_jsonb(upd)",
           })}
         )
         select * from upd`,
        [
          clientId,
          domainId,
          serviceId,
          JSON.stringify(merged.features),
          name,
          status,
          input.actor.subject,
          current.status,
          meta.requestId,
          JSON.stringify(toServiceRow(current)),
          meta.reason ?? null,
        ],
      );
      return toServiceRow(row!);
    },
    options,
  );
}

export async function createService(
  database: Database,
  input: WriteInput & { body: z.infer<typeof serviceCreateBody> },
  options: ServiceWriteOptions = {},
): Promise<Service> {
  const { clientId, domainId, body, meta } = input;
  return runWrite(
    database,
    async (q) => {
      await lockScope(q, { clientId, domainId, serviceId: body.service_id });
      const [ctx] = await q<{ client: boolean; domain_status: string | null; exists: boolean }>(
        `select exists(select 1 from clients where id = $1) as client,
          (select status from domains where client_id = $1 and id = $2) as domain_status,
          exists(select 1 from services where client_id = $1 and domain_id = $2 and id = $3) as exists`,
        [clientId, domainId, body.service_id],
      );
      if (!ctx?.client) throw notFound(`Client "${clientId}" not found`);
      if (ctx.domain_status === null)
        throw notFound(`Domain "${domainId}" not found in client "${clientId}"`);
      if (ctx.domain_status !== "active")
        throw unprocessable(
          `Domain "${domainId}" is not active: activate it before adding services`,
        );
      if (ctx.exists)
        throw conflict(
          `Service "${body.service_id}" already exists in domain "${domainId}"; PATCH it instead`,
        );
      // JSON nulls mean "absent" in a merge patch; a new service simply does not have those keys.
      const features = mergeFeatures({}, body.provided_features ?? {}).features;
      const blocking = await blockingFor(q, clientId, domainId, body.service_id, features);
      if (blocking) throw incompatible(blocking, body.service_id);
      const [row] = await q<ServiceDbRow>(
        `with ins as (
           insert into services as s (client_id, domain_id, id, name, provided_features, status)
           values ($1, $2, $3, $4, $5::jsonb, 'active')
           returning ${SERVICE_COLUMNS}
         ), audit as (
           ${auditInsertSql("ins", {
             actor: "$6",
             action: "'service.create'",
             entityType: "'service'",
             entityId: "$1 || '/' || $2 || '/' || $3",
             clientId: "$1",
             requestId: "$7",
             reason: "$8",
             after: "to_jsonb(ins)",
           })}
         )
         select * from ins`,
        [
          clientId,
          domainId,
          body.service_id,
          body.name ?? null,
          JSON.stringify(features),
          input.actor.subject,
          meta.requestId,
          meta.reason ?? null,
        ],
      );
      return toServiceRow(row!);
    },
    options,
  );
}
