import { z } from "zod";
import { identifier, isoDateTime } from "./common";
import { ID_REGEX } from "./id";
import { invalidFeatureSchema, staticFeaturesSchema } from "./features";

const serviceStatus = z.enum(["active", "departed"]);

export const serviceRow = z
  .object({
    client_id: z.string(),
    domain_id: z.string(),
    service_id: z.string(),
    name: z.string().nullable(),
    provided_features: z.record(z.string(), z.unknown()),
    status: serviceStatus,
    created_at: isoDateTime,
    updated_at: isoDateTime,
  })
  .meta({ id: "Service" });
export type Service = z.infer<typeof serviceRow>;

export const servicePatchBody = z
  .strictObject({
    name: z.string().min(1).max(200).nullable().optional(),
    status: z.literal("departed").optional().meta({
      description: "Set departed when the service leaves the domain; it is kept for history",
    }),
    provided_features: staticFeaturesSchema
      .optional()
      .meta({ description: "Merged into provided_features; a null value removes a key" }),
  })
  .meta({ id: "ServicePatch" });
export type ServicePatchBody = z.input<typeof servicePatchBody>;

/** Most services one bulk write (PATCH …/services) may change. */
export const MAX_BULK_SERVICES = 10_000;

const servicePatchFields = {
  name: z.string().min(1).max(200).nullable().optional(),
  status: z.literal("departed").optional().meta({
    description: "Set departed when the service leaves the domain; it is kept for history",
  }),
  provided_features: staticFeaturesSchema
    .optional()
    .meta({ description: "Merged into provided_features; a null value removes a key" }),
};

export const serviceBulkPatchItem = z
  .strictObject({
    service_id: identifier("Service identifier within a domain."),
    ...servicePatchFields,
  })
  .meta({
    id: "ServiceBulkPatchItem",
    description:
      "One service's patch: the single PATCH's body (ServicePatch) plus the service it changes.",
  });

export const serviceBulkPatchBody = z
  .strictObject({
    items: z
      .array(serviceBulkPatchItem)
      .min(1)
      .max(MAX_BULK_SERVICES)
      .meta({
        description: `1 to ${MAX_BULK_SERVICES.toLocaleString("en")} patches, each service at most once`,
      }),
  })
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    for (const [i, item] of body.items.entries()) {
      const first = seen.get(item.service_id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["items", i, "service_id"],
          message: `items[${first}] and items[${i}] both name service "${item.service_id}"; merge them into one item`,
        });
        return;
      }
      seen.set(item.service_id, i);
    }
  })
  .meta({ id: "ServiceBulkPatch" });
export type ServiceBulkPatchBody = z.input<typeof serviceBulkPatchBody>;

export const serviceBulkPatchResult = z
  .object({
    dry_run: z.boolean().meta({ description: "True when nothing was written (?dry_run=true)" }),
    updated: z.number().int().meta({ description: "Services the write changed" }),
    unchanged: z
      .number()
      .int()
      .meta({ description: "Services whose patch changed nothing (no write, no audit entry)" }),
    items: z
      .array(
        z.object({
          service_id: z.string(),
          outcome: z.enum(["updated", "unchanged"]),
          service: serviceRow,
        }),
      )
      .meta({
        description: "One result per item, in the body's order: the service after the write",
      }),
  })
  .meta({ id: "ServiceBulkPatchResult" });
export type ServiceBulkPatchResult = z.infer<typeof serviceBulkPatchResult>;

export const serviceCreateBody = z
  .strictObject({
    service_id: identifier("Service identifier within a domain."),
    name: z.string().min(1).max(200).optional(),
    provided_features: staticFeaturesSchema.optional(),
  })
  .meta({ id: "ServiceCreate" });

/** `key=value` (provided_features[key] as text equals value) or `key=` (key missing or null). */
const FEATURE_FILTER_REGEX = /^[^=]{1,128}=[\s\S]{0,512}$/;
const MODEL_AT_VERSION = new RegExp(
  `^${ID_REGEX.source.slice(1, -1)}@${ID_REGEX.source.slice(1, -1)}$`,
);

export const serviceListQuery = z.object({
  status: z.enum(["active", "departed", "all"]).default("all"),
  q: z
    .string()
    .max(128)
    .optional()
    .meta({ description: "Case-insensitive substring of the service id or name" }),
  feature: z
    .array(
      z
        .string()
        .regex(
          FEATURE_FILTER_REGEX,
          'use "key=value" (provided_features[key] as text equals value) or "key=" (key missing or null)',
        ),
    )
    .max(20)
    .default([])
    .meta({
      description:
        'Repeatable feature filter: "key=value" matches services whose provided_features[key], as text, equals value ' +
        '(e.g. route=route-a, stops=12, night_service=true); "key=" matches services where the key is missing or null. ' +
        "Different keys must all match; several values for one key match any of them.",
    }),
  include: z.enum(["effective"]).optional().meta({
    description:
      "effective: add to each item the assignment effective for it per assignment key (its own override, else the domain default)",
  }),
  compatible_with: z
    .string()
    .regex(MODEL_AT_VERSION, 'use "<model_id>@<version>", e.g. example-model@2.0.0')
    .optional()
    .meta({
      description:
        "<model_id>@<version>: add to each item whether its provided features satisfy that version's contract",
    }),
  compatible: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .meta({
      description:
        "With compatible_with: only the services that are (true) or are not (false) compatible with it",
    }),
});

/** The list's query as the route reads it (defaults applied). */
export type ServiceListQuery = z.infer<typeof serviceListQuery>;
/** The list's filters as the console sends them (before defaults), with the page to read. */
export type ServiceFilters = z.input<typeof serviceListQuery> & {
  limit?: number;
  cursor?: string;
};

const serviceEffectiveEntry = z
  .object({
    assignment_id: z.uuid(),
    model_id: z.string(),
    model_version: z.string(),
    source: z.enum(["service", "domain_default"]),
    pinned_by: z.uuid().nullable().meta({
      description:
        "The service's own assignment was written by a domain default's change to keep it on this version (pin_services): that domain revision's assignment_id. Archive the service's assignment to unpin it. Else null.",
    }),
  })
  .meta({
    id: "ServiceEffectiveEntry",
    description: "The active assignment effective for a service under one key",
  });
export type ServiceEffectiveEntry = z.infer<typeof serviceEffectiveEntry>;

const serviceCompatibility = z
  .object({
    compatible: z.boolean(),
    missing: z.array(z.string()).meta({
      description: "Required features without a default that the service does not provide",
    }),
    invalid: z
      .array(invalidFeatureSchema)
      .meta({ description: "Provided features whose value does not fit the contract" }),
  })
  .meta({
    id: "ServiceCompatibility",
    description: "How the service's provided features fit the compatible_with version's contract",
  });

export const serviceListItem = serviceRow
  .extend({
    effective: z.record(z.string(), serviceEffectiveEntry).optional().meta({
      description:
        "With include=effective: per assignment key, the assignment effective for this service",
    }),
    compatibility: serviceCompatibility
      .optional()
      .meta({ description: "With compatible_with: the service's fit to that version" }),
  })
  .meta({ id: "ServiceListItem" });
export type ServiceListItem = z.infer<typeof serviceListItem>;
