// Rollouts: one assignment key moved across domains in ordered waves, each gated on observed state.
import { z } from "zod";
import { identifier, isoDateTime, jsonObject, page, paginationQuery } from "./common";
import { blockingServiceSchema } from "./features";
import { syncCounts } from "./observations";

export const ROLLOUT_STATUSES = [
  "running",
  "paused",
  "stopped",
  "completed",
  "aborted",
  "rolled_back",
] as const;
export const rolloutStatus = z.enum(ROLLOUT_STATUSES).meta({
  description:
    "`running` (the scheduler moves it), `paused` (a person paused it), `stopped` (it could not proceed: `status_reason` says why; resume retries), `completed`, `aborted` (stopped for good, nothing undone), `rolled_back`",
});
export type RolloutStatus = z.infer<typeof rolloutStatus>;

export const ROLLOUT_WAVE_STATUSES = [
  "pending",
  "awaiting_approval",
  "applied",
  "completed",
  "failed",
  "rolled_back",
] as const;
export const rolloutWaveStatus = z.enum(ROLLOUT_WAVE_STATUSES).meta({
  description:
    "`pending` (not reached yet), `awaiting_approval` (its change requests wait for reviews), `applied` (written; its gate is being checked), `completed` (gate met), `failed` (it stopped the rollout: `status_reason`), `rolled_back`",
});
export type RolloutWaveStatus = z.infer<typeof rolloutWaveStatus>;

const target = z
  .strictObject({
    client_id: identifier("The domain's client."),
    domain_id: identifier("A domain whose default for the key the wave moves."),
  })
  .meta({ id: "RolloutTarget" });

export const rolloutGate = z
  .strictObject({
    wait_seconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .optional()
      .meta({ description: "At least this long after the wave applied" }),
    min_synced_percent: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .meta({ description: "At least this share (0–100) of the wave's services report `synced`" }),
    manual: z
      .boolean()
      .optional()
      .meta({ description: "A person promotes the wave (POST …/promote)" }),
    timeout_seconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .optional()
      .meta({
        description:
          "Stop the rollout when the gate is not met this long after the wave applied (default: wait forever)",
      }),
  })
  .meta({
    id: "RolloutGate",
    description:
      "What must hold before the next wave starts; every condition given must hold, and a `failed` report of any of the wave's services stops the rollout. An empty gate passes at once",
  });
export type RolloutGateInput = z.infer<typeof rolloutGate>;

const wave = z
  .strictObject({
    name: z.string().trim().min(1, "name the wave").max(100),
    targets: z
      .array(target)
      .min(1, "a wave moves at least one domain")
      .max(1000, "a wave moves at most 1000 domains"),
    gate: rolloutGate.default({}),
  })
  .meta({ id: "RolloutWaveInput" });

const serviceUpdate = z
  .strictObject({
    client_id: identifier(
      "The service's client (may be omitted when the rollout has one client).",
    ).optional(),
    domain_id: identifier("The service's domain (one of the rollout's)."),
    service_id: identifier("The service to patch when its domain's wave applies."),
    static_features: jsonObject.meta({
      description: "Merged into the service's provided_features (null removes a key)",
    }),
  })
  .meta({ id: "RolloutServiceUpdate" });

export const rolloutCreateBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional().meta({
      description: "A name to find it by (default: key → model@version)",
    }),
    assignment_key: identifier("The assignment key every wave moves."),
    model_id: identifier("The model to move to."),
    model_version: identifier("The version to move to."),
    waves: z
      .array(wave)
      .min(1, "a rollout has at least one wave")
      .max(50, "a rollout has at most 50 waves")
      .superRefine((waves, ctx) => {
        const seen = new Map<string, number>();
        waves.forEach((w, i) =>
          w.targets.forEach((t, j) => {
            const id = `${t.client_id}/${t.domain_id}`;
            const first = seen.get(id);
            if (first !== undefined)
              ctx.addIssue({
                code: "custom",
                path: [i, "targets", j],
                message: `domain "${t.domain_id}" of client "${t.client_id}" is already in wave ${first + 1}; a domain belongs to one wave`,
              });
            else seen.set(id, i);
          }),
        );
      }),
    service_updates: z.array(serviceUpdate).max(10_000).optional().meta({
      description:
        "Service patches, each written with its domain's wave (validated with it, as `service_updates` of a domain PUT)",
    }),
  })
  .meta({ id: "RolloutCreate" });
export type RolloutCreateBody = z.input<typeof rolloutCreateBody>;

const previewDomain = z
  .object({
    client_id: z.string(),
    domain_id: z.string(),
    base_assignment_id: z.uuid().nullable().meta({
      description: "The domain default active now (what rollback restores)",
    }),
    from: z
      .array(z.object({ model_id: z.string(), model_version: z.string() }))
      .meta({ description: "The versions the moving services run now" }),
    affected_services: z.array(z.string()).meta({
      description: "Services whose effective model moves to the rollout's version",
    }),
    blocking_services: z.array(blockingServiceSchema),
    unchanged: z.boolean().meta({ description: "The domain already runs the version" }),
  })
  .meta({ id: "RolloutPreviewDomain" });

export const rolloutPreviewWave = z
  .object({
    position: z.number().int().min(1),
    name: z.string(),
    affected_count: z.number().int(),
    blocking_count: z.number().int(),
    domains: z.array(previewDomain),
  })
  .meta({ id: "RolloutPreviewWave" });

export const rolloutPreview = z
  .object({
    blocked: z.boolean().meta({
      description: "Some wave has blocking services: the rollout can't start until they are fixed",
    }),
    waves: z.array(rolloutPreviewWave),
  })
  .meta({ id: "RolloutPreview" });
export type RolloutPreview = z.infer<typeof rolloutPreview>;

export const rolloutWaveRow = z
  .object({
    position: z.number().int().min(1),
    name: z.string(),
    targets: z.array(target),
    gate: rolloutGate,
    status: rolloutWaveStatus,
    status_reason: z.string().nullable(),
    change_requests: z.array(
      z.object({
        client_id: z.string(),
        id: z.uuid(),
        number: z.number().int(),
      }),
    ),
    previous: z
      .array(
        z.object({
          client_id: z.string(),
          domain_id: z.string(),
          assignment_id: z.uuid().nullable(),
        }),
      )
      .meta({
        description:
          "The domain default revisions active just before the wave applied (null: none), what rollback restores",
      }),
    applied_at: isoDateTime.nullable(),
    completed_at: isoDateTime.nullable(),
    promoted_by: z.string().nullable(),
    sync: syncCounts.nullable().meta({
      description:
        "The wave's services by sync state now (applied and later waves; null before it applies)",
    }),
  })
  .meta({ id: "RolloutWave" });
export type RolloutWave = z.infer<typeof rolloutWaveRow>;

export const rolloutRow = z
  .object({
    id: z.uuid(),
    name: z.string(),
    assignment_key: z.string(),
    model_id: z.string(),
    model_version: z.string(),
    status: rolloutStatus,
    status_reason: z.string().nullable().meta({ description: "Why it stopped, or was aborted" }),
    current_wave: z.number().int().nullable().meta({
      description: "The wave in progress (1-based); null once completed",
    }),
    next_check_at: isoDateTime.nullable().meta({
      description: "When the scheduler next looks at it (running only)",
    }),
    client_ids: z.array(z.string()),
    created_by: z.string(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    waves: z.array(rolloutWaveRow),
    preview: rolloutPreview.optional().meta({
      description: "What each wave moves and what blocks it (at creation, and on a dry run)",
    }),
  })
  .meta({ id: "Rollout" });
export type Rollout = z.infer<typeof rolloutRow>;

export const rolloutSummary = rolloutRow
  .omit({ waves: true, preview: true })
  .extend({
    wave_count: z.number().int(),
    current_wave_name: z.string().nullable(),
  })
  .meta({ id: "RolloutSummary" });
export type RolloutSummary = z.infer<typeof rolloutSummary>;

export const rolloutPage = page(rolloutSummary, "RolloutPage");

export const rolloutListQuery = paginationQuery.extend({
  status: rolloutStatus.optional(),
  client_id: identifier("Only rollouts that move a domain of this client").optional(),
});

export const rolloutActionQuery = z.object({
  wave: z.coerce.number().int().min(1).optional().meta({
    description:
      "The wave (1-based) the caller means to act on, as they saw it: 409 if the rollout's current wave is another one (a second click never promotes the next wave)",
  }),
});
