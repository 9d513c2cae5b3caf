import { z } from "zod";
import { contractHashSchema } from "./registry";
import { identifier, isoDateTime, jsonObject } from "./common";
import { blockingServiceSchema, invalidFeatureSchema, staticFeaturesSchema } from "./features";

const assignmentStatus = z.enum(["active", "archived"]);

/** Most entries `service_updates` and `pin_services` may each hold in one write. */
export const MAX_BULK_ENTRIES = 10_000;

const serviceUpdateSchema = z
  .strictObject({
    service_id: identifier("Service identifier within a domain."),
    static_features: staticFeaturesSchema,
  })
  .meta({
    id: "ServiceUpdate",
    description:
      "Patch provided_features for one service during the upsert (validated against the target version freeze).",
  });

const upsertFields = {
  model_id: identifier("Model registry identifier."),
  model_version: identifier("Model version string within the registry."),
  status: assignmentStatus.default("active").meta({
    description:
      "New assignment revisions are active by default. Use archived to retire a capability without launching new jobs from it.",
  }),
  role: z.string().max(200).nullable().optional(),
  settings: jsonObject.default({}),
  metadata: jsonObject.default({}),
  service_updates: z.array(serviceUpdateSchema).max(MAX_BULK_ENTRIES).optional().meta({
    description:
      "Optional patches for non-departed services, each service at most once; incompatible services still yield 422 with blocking_services.",
  }),
  restored_from_revision: z.number().int().min(1).max(2_147_483_647).optional().meta({
    description:
      'Marks the new revision as a restore of this earlier revision of the same key (its revision number); history shows "restored from revision N". Only with status active. A restore that changes nothing writes nothing, as any PUT.',
  }),
};

const pinServicesField = z
  .array(identifier("Service identifier within a domain."))
  .max(MAX_BULK_ENTRIES)
  .optional()
  .meta({
    description:
      "Domain default routes only. Services to keep on their current effective model and version: each gets, in the same transaction, its own active assignment for the key (listed in the answer's `pinned`), so the change does not move it and it does not block. A service that already has its own assignment for the key is left as it is. Each service at most once, and not also in service_updates; an unknown or departed service, or a domain without an active default to keep, refuses the whole write (422).",
  });

type UpsertFields = {
  status: "active" | "archived";
  service_updates?: { service_id: string }[] | undefined;
  pin_services?: string[] | undefined;
  restored_from_revision?: number | undefined;
};

/**
 * The rules of an upsert body that need no database, checked with the body (400, before any lock): a service is
 * patched at most once, and a restore makes an active revision.
 */
function upsertBodyRules(body: UpsertFields, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [i, update] of (body.service_updates ?? []).entries()) {
    if (seen.has(update.service_id)) {
      ctx.addIssue({
        code: "custom",
        path: ["service_updates", i, "service_id"],
        message: `service_updates names service "${update.service_id}" more than once; merge its static_features into one entry`,
      });
      break;
    }
    seen.add(update.service_id);
  }
  const pinned = new Set<string>();
  for (const [i, id] of (body.pin_services ?? []).entries()) {
    if (pinned.has(id)) {
      ctx.addIssue({
        code: "custom",
        path: ["pin_services", i],
        message: `pin_services names service "${id}" more than once; list it once`,
      });
      break;
    }
    pinned.add(id);
  }
  if (body.restored_from_revision !== undefined && body.status !== "active") {
    ctx.addIssue({
      code: "custom",
      path: ["restored_from_revision"],
      message: `marks a restore, which makes an active revision: only with status "active"; drop it when retiring the key (status "archived")`,
    });
  }
}

/** PUT body: assignment_key may be omitted or equal the path's key. */
export const assignmentPutBody = z
  .strictObject({
    assignment_key: identifier(
      "Required on collection POST routes; omitted on keyed PUT routes (if sent, it must equal the path's key).",
    ).optional(),
    ...upsertFields,
  })
  .superRefine(upsertBodyRules)
  .meta({ id: "AssignmentPut" });

/** POST body: assignment_key required. */
export const assignmentPostBody = z
  .strictObject({
    assignment_key: identifier("Required on collection POST routes; omitted on keyed PUT routes."),
    ...upsertFields,
  })
  .superRefine(upsertBodyRules)
  .meta({ id: "AssignmentPost" });

/** The domain default's PUT body: the service route's, plus pin_services. */
export const domainAssignmentPutBody = z
  .strictObject({
    assignment_key: identifier(
      "Required on collection POST routes; omitted on keyed PUT routes (if sent, it must equal the path's key).",
    ).optional(),
    ...upsertFields,
    pin_services: pinServicesField,
  })
  .superRefine(upsertBodyRules)
  .meta({ id: "DomainAssignmentPut" });

/** The domain default's POST body: assignment_key required, pin_services allowed. */
export const domainAssignmentPostBody = z
  .strictObject({
    assignment_key: identifier("Required on collection POST routes; omitted on keyed PUT routes."),
    ...upsertFields,
    pin_services: pinServicesField,
  })
  .superRefine(upsertBodyRules)
  .meta({ id: "DomainAssignmentPost" });

/** What a caller sends to the domain default's PUT (and its preview): defaults not yet applied. */
export type DomainAssignmentPutBody = z.input<typeof domainAssignmentPutBody>;

/** What a caller sends to PUT (and, with assignment_key, POST) an assignment: defaults not yet applied. */
export type AssignmentPutBody = z.input<typeof assignmentPutBody>;

export const assignmentRow = z
  .object({
    assignment_id: z
      .uuid()
      .meta({ description: "Unique revision identifier for this assignment row." }),
    client_id: z.string(),
    domain_id: z.string().meta({ description: "Domain identifier within a client." }),
    service_id: z.string().nullable().meta({ description: "null for a domain default" }),
    assignment_key: z.string().meta({
      description:
        "Stable capability key within the domain or service scope. Updating the same key archives the previous active assignment and creates a new active revision.",
    }),
    revision: z.number().int().min(1),
    model_id: z.string().meta({ description: "Model registry identifier." }),
    model_version: z.string().meta({ description: "Model version string within the registry." }),
    status: assignmentStatus.meta({
      description:
        "Active assignments are runnable. Archived assignments are retained as historical revisions for jobs that used them.",
    }),
    role: z.string().nullable(),
    settings: jsonObject,
    metadata: jsonObject,
    created_by: z.string(),
    change_reason: z
      .string()
      .nullable()
      .meta({ description: "Why this revision was written (the write's X-Change-Reason header)" }),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    restored_from_revision: z.number().int().min(1).nullable().meta({
      description:
        "The earlier revision of the same key this one restored (sent as restored_from_revision on the write), else null.",
    }),
    pinned_by: z.uuid().nullable().meta({
      description:
        "A service assignment written by a domain default's change to keep the service on its version (pin_services): that domain revision's assignment_id. Archive this assignment to unpin. Else null.",
    }),
  })
  .meta({ id: "Assignment" });
export type Assignment = z.infer<typeof assignmentRow>;

export const pinnedServiceSchema = z
  .object({
    service_id: z.string(),
    assignment_id: z.uuid().nullable().meta({
      description:
        "The service's own assignment written by the pin (null in a preview, which writes nothing)",
    }),
    model_id: z.string(),
    model_version: z.string(),
  })
  .meta({
    id: "PinnedService",
    description:
      "A service kept on its current effective model and version by pin_services: its own assignment for the key",
  });
export type PinnedService = z.infer<typeof pinnedServiceSchema>;

/** What the domain default's PUT and POST answer: the revision, and the services it pinned. */
export const domainAssignmentWrite = assignmentRow
  .extend({
    pinned: z.array(pinnedServiceSchema).meta({
      description:
        "The services this write pinned (pin_services), ordered by service_id; empty when none (and when the write changed nothing)",
    }),
  })
  .meta({ id: "DomainAssignmentWrite" });
export type DomainAssignmentWrite = z.infer<typeof domainAssignmentWrite>;

const serviceChange = z
  .object({
    service_id: z.string(),
    before: jsonObject.meta({ description: "The service's provided_features before the write" }),
    after: jsonObject.meta({ description: "Its provided_features after the write" }),
  })
  .meta({
    id: "ServiceChange",
    description:
      "A service patch (service_updates) written in the same transaction as the revision.",
  });

/** A revision as history reads it: the row plus the service patches written with it. */
export const assignmentRevision = assignmentRow
  .extend({
    service_changes: z.array(serviceChange).meta({
      description:
        "The services' feature changes that went in with this revision (service_updates on its write), ordered by service_id; empty when none.",
    }),
    pinned_services: z.array(pinnedServiceSchema).meta({
      description:
        "The services this revision's write pinned (pin_services), each with the assignment that pins it, ordered by service_id; empty when none.",
    }),
    change_request_id: z.uuid().nullable().meta({
      description: "The change request whose apply wrote this revision; null for a direct write",
    }),
    approval_bypass: z.string().nullable().meta({
      description:
        "The reason an admin gave (X-Approval-Bypass) to write this revision around the required approvals; null otherwise",
    }),
  })
  .meta({ id: "AssignmentRevision" });
export type AssignmentRevision = z.infer<typeof assignmentRevision>;
export type ServiceChange = AssignmentRevision["service_changes"][number];

export const upcomingChange = z
  .object({
    model_id: z.string(),
    model_version: z.string(),
    apply_at: isoDateTime,
    change_request_id: z.uuid(),
  })
  .meta({
    id: "UpcomingChange",
    description:
      "A scheduled change request, approved, will move this service to this model version at `apply_at` (load it before): present from its approval until it applies, fails or is withdrawn",
  });
export type UpcomingChange = z.infer<typeof upcomingChange>;

export const effectiveAssignment = assignmentRow
  .extend({
    upcoming: upcomingChange.optional(),
    source: z.enum(["service", "domain_default"]),
    contract_hash: contractHashSchema.meta({
      description:
        "The contract hash of the assigned model version: what a service reports as `contract_hash` once it loaded it",
    }),
  })
  .meta({ id: "EffectiveAssignment" });
export type EffectiveAssignment = z.infer<typeof effectiveAssignment>;

export const assignmentListQuery = z.object({
  status: z.enum(["active", "archived", "all"]).default("active"),
});

export const effectiveQuery = z.object({
  at: isoDateTime
    .optional()
    .meta({ description: "Answer which revision was effective at this time" }),
});

const effectiveRef = z
  .object({
    assignment_id: z.uuid(),
    source: z.enum(["service", "domain_default"]),
    model_id: z.string(),
    model_version: z.string(),
  })
  .nullable();

export const previewResponse = z
  .object({
    compatible: z.boolean(),
    blocking_services: z.array(blockingServiceSchema),
    pinned: z.array(pinnedServiceSchema).meta({
      description:
        "The services pin_services would keep on their current version (assignment_id null: nothing is written); they are not in changes and do not block",
    }),
    changes: z.array(
      z.object({
        service_id: z.string(),
        from: effectiveRef,
        to: effectiveRef
          .or(
            z.object({
              assignment_id: z.null(),
              source: z.literal("domain_default"),
              model_id: z.string(),
              model_version: z.string(),
            }),
          )
          .nullable(),
        compatible: z.boolean(),
        missing: z.array(z.string()),
        invalid: z.array(invalidFeatureSchema),
      }),
    ),
  })
  .meta({ id: "Preview" });
export type Preview = z.infer<typeof previewResponse>;

export const blockingError = z
  .object({
    success: z.literal(false),
    message: z.string().meta({ description: "Human-readable error message" }),
    blocking_services: z
      .array(blockingServiceSchema)
      .meta({ description: "Every incompatible service, with what is missing or invalid" }),
  })
  .meta({ id: "BlockingError" });
