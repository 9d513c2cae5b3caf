// Observed state: what services report they run, and how it compares with what they should run.
import { z } from "zod";
import { OBSERVED_STATES, SYNC_STATES } from "@/lib/features/sync-state";
import { identifier, isoDateTime, paginationQuery } from "./common";
import { contractHashSchema } from "./registry";

const observedState = z.enum(OBSERVED_STATES).meta({
  description:
    "`loaded`: the service runs it; `loading`: it is loading it (not running it yet); `failed`: it could not (say why in `message`)",
});
export const syncStateSchema = z.enum(SYNC_STATES).meta({
  description:
    "`synced`: runs what it should; `out_of_sync`: another revision, model or version (or still loading); `contract_mismatch`: the right version with another contract hash; `failed`: reported a failure; `unknown`: never reported, or its last report is older than the client's `stale_after`",
});

const reportFields = {
  assignment_id: z
    .uuid()
    .optional()
    .meta({ description: "The assignment revision the service loaded (from its effective read)" }),
  model_id: identifier("The model the service loaded"),
  model_version: identifier("The version it loaded"),
  contract_hash: contractHashSchema.optional().meta({
    description:
      "The contract hash of what it loaded, as the effective read gave it; without it the contract can't be checked",
  }),
  state: observedState,
  message: z
    .string()
    .max(2000)
    .optional()
    .meta({ description: "Why it failed, or anything a person should read" }),
};

export const observationBody = z.strictObject(reportFields).meta({ id: "ObservationReport" });
export type ObservationBody = z.infer<typeof observationBody>;

/** One item of a batch: the report plus which service and key it is about. */
export const observationItem = z
  .strictObject({
    service_id: identifier("The service that reports"),
    assignment_key: identifier("The assignment key it reports about"),
    ...reportFields,
  })
  .meta({ id: "ObservationItem" });
export type ObservationItem = z.infer<typeof observationItem>;

export const MAX_OBSERVATIONS = 10_000;

// Each item is checked on its own (a bad item is answered in its result, the good ones are kept), so the batch
// schema takes any objects and documents their shape.
export const observationBatchBody = z
  .strictObject({
    items: z
      .array(
        z.record(z.string(), z.unknown()).meta({
          description:
            "An ObservationItem: `{ service_id, assignment_key, assignment_id?, model_id, model_version, contract_hash?, state, message? }`; each item is validated on its own",
        }),
      )
      .min(1, "send at least one report")
      .max(MAX_OBSERVATIONS, `send at most ${MAX_OBSERVATIONS} reports in one body`),
  })
  .meta({ id: "ObservationBatch" });

const syncFields = {
  sync: syncStateSchema,
  since: isoDateTime.nullable().meta({
    description: "When the sync state began (null for a service that never reported)",
  }),
  last_seen: isoDateTime
    .nullable()
    .meta({ description: "When the service last reported (null: never)" }),
};

export const observationResult = z
  .object({
    service_id: z.string(),
    assignment_key: z.string(),
    ...syncFields,
    previous_sync: syncStateSchema.meta({ description: "The sync state just before this report" }),
    changed: z
      .boolean()
      .meta({ description: "The report changed the sync state (published on the change feed)" }),
  })
  .meta({ id: "ObservationResult" });
export type ObservationResult = z.infer<typeof observationResult>;

export const observationBatchItemResult = z
  .object({
    index: z.number().int().meta({ description: "The item's position in `items` (from 0)" }),
    status: z
      .number()
      .int()
      .meta({ description: "200 when kept; else the status the item would get on its own" }),
    service_id: z.string().nullable(),
    assignment_key: z.string().nullable(),
    result: observationResult.optional(),
    message: z.string().optional().meta({ description: "What to fix (refused items)" }),
  })
  .meta({ id: "ObservationBatchItemResult" });

export const observationBatchResponse = z
  .object({
    accepted: z.number().int(),
    rejected: z.number().int(),
    results: z.array(observationBatchItemResult),
  })
  .meta({ id: "ObservationBatchResult" });
export type ObservationBatchResponse = z.infer<typeof observationBatchResponse>;

const desiredSchema = z
  .object({
    assignment_id: z.uuid(),
    source: z.enum(["service", "domain_default"]),
    model_id: z.string(),
    model_version: z.string(),
    revision: z.number().int(),
    contract_hash: contractHashSchema,
  })
  .meta({ id: "DesiredAssignment" });

const observedSchema = z
  .object({
    assignment_id: z.uuid().nullable(),
    model_id: z.string(),
    model_version: z.string(),
    contract_hash: contractHashSchema.nullable(),
    state: observedState,
    message: z.string().nullable(),
    reported_at: isoDateTime,
    reported_by: z.string(),
  })
  .meta({ id: "ObservedAssignment" });

export const serviceSyncStatus = z
  .object({
    service_id: z.string(),
    desired: desiredSchema
      .nullable()
      .meta({ description: "The effective assignment: what the service should run" }),
    observed: observedSchema.nullable().meta({ description: "Its last report (null: never)" }),
    ...syncFields,
  })
  .meta({ id: "ServiceSyncStatus" });
export type ServiceSyncStatus = z.infer<typeof serviceSyncStatus>;

export const syncCounts = z
  .object({
    total: z.number().int(),
    synced: z.number().int(),
    out_of_sync: z.number().int(),
    contract_mismatch: z.number().int(),
    failed: z.number().int(),
    unknown: z.number().int(),
    synced_percent: z.number().meta({
      description: "Share of the services that are synced, 0–100 (100 when there are none)",
    }),
  })
  .meta({ id: "SyncCounts" });
export type SyncCounts = z.infer<typeof syncCounts>;

export const syncStatusPage = z
  .object({
    assignment_key: z.string(),
    counts: syncCounts.meta({
      description:
        "Over every service of the domain for the key (before `sync` and `q` filter the items)",
    }),
    items: z.array(serviceSyncStatus),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "SyncStatusPage" });
export type SyncStatusPage = z.infer<typeof syncStatusPage>;

export const syncStatusQuery = paginationQuery.extend({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  sync: z
    .string()
    .max(200)
    .optional()
    .meta({
      description: "Only services in these sync states, comma-separated (`out_of_sync,failed`)",
    })
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      const states = v.split(",").map((s) => s.trim());
      const bad = states.filter((s) => !(SYNC_STATES as readonly string[]).includes(s));
      if (bad.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `unknown sync state ${bad.map((b) => `"${b}"`).join(", ")}: use ${SYNC_STATES.join(", ")}`,
        });
        return z.NEVER;
      }
      return states as (typeof SYNC_STATES)[number][];
    }),
  q: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "Only services whose id contains this text" }),
  service_ids: z
    .string()
    .max(13_000)
    .optional()
    .meta({
      description:
        "Only these services, comma-separated (up to 100; e.g. one page of the services list)",
    })
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      const ids = v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      if (ids.length > 100) {
        ctx.addIssue({ code: "custom", message: "name at most 100 services in service_ids" });
        return z.NEVER;
      }
      return ids;
    }),
});
