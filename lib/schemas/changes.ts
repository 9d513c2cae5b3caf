// The change feed and the whole-domain effective read (machines at scale).
import { z } from "zod";
import { assignmentRow, upcomingChange } from "./assignments";
import { isoDateTime, page, paginationQuery } from "./common";
import { contractHashSchema } from "./registry";
import { syncStateSchema } from "./observations";

const changeItem = z
  .object({
    cursor: z.string().meta({
      description:
        "This change's position in its domain's feed (a whole number as a string, consecutive in commit order); pass it as `after` or `Last-Event-ID` to continue after it",
    }),
    at: isoDateTime,
    kind: z.enum(["assignment", "service", "change_request", "rollout"]),
    action: z.string().meta({
      description:
        "What happened: `upsert` or `retire` for an assignment (`pin` for a service assignment a domain default's change wrote to keep the service on its version); `create`, `patch` or `depart` for a service; `sync_changed` when a service's report changed its sync state for `assignment_key` (event `service.sync_changed`); `opened`, `reviewed`, `approved`, `scheduled`, `applied`, `stale`, `failed`, `withdrawn` or `edited` for a change request (`scheduled`: one per change of an approved request with `apply_at`, with `assignment_key`, `service_id` for a service's own change, and `upcoming`); `started`, `wave_applied`, `wave_completed`, `promoted`, `paused`, `resumed`, `stopped`, `completed`, `aborted` or `rolled_back` for a rollout (event `rollout.<action>`)",
    }),
    assignment_key: z.string().optional(),
    service_id: z
      .string()
      .optional()
      .meta({ description: "The service changed, or whose own assignment changed" }),
    assignment_id: z
      .uuid()
      .optional()
      .meta({ description: "The revision the change wrote (assignment changes)" }),
    change_request_id: z
      .uuid()
      .optional()
      .meta({ description: "The change request the change is about (change_request changes)" }),
    rollout_id: z
      .uuid()
      .optional()
      .meta({ description: "The rollout the change is about (rollout changes)" }),
    actor: z.string(),
    sync: syncStateSchema.optional().meta({
      description: "`sync_changed`: the service's sync state for the key after the report",
    }),
    previous_sync: syncStateSchema
      .optional()
      .meta({ description: "`sync_changed`: its sync state just before the report" }),
    upcoming: upcomingChange.optional(),
  })
  .meta({ id: "Change" });
export type Change = z.infer<typeof changeItem>;

export const changePage = z
  .object({
    items: z.array(changeItem),
    next_cursor: z.string().meta({
      description:
        "Where to continue: the last item's cursor, or the `after` you sent when there is nothing newer yet",
    }),
  })
  .meta({ id: "ChangePage" });

export const changesQuery = z.object({
  after: z.string().max(32).optional().meta({
    description:
      "Return changes after this cursor (0 or absent: from the start of the feed). `latest` (JSON only) answers no items and the domain's latest cursor as `next_cursor`, to follow only what comes next. With `Accept: text/event-stream`, `Last-Event-ID` takes precedence",
  }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  service_id: z.string().min(1).max(200).optional().meta({
    description:
      "Only the changes about this service (`service_id` of the item: its own assignments, its creation, patches and departure, its sync changes), JSON and stream alike. Cursors stay the domain's: `next_cursor` is the last matching change's cursor (or `after` when none matched)",
  }),
});

const domainEffectiveItem = z
  .object({
    service_id: z.string(),
    source: z.enum(["service", "domain_default"]),
    assignment: assignmentRow,
    contract_hash: contractHashSchema.meta({
      description:
        "The contract hash of the assigned model version (what the service reports once loaded)",
    }),
    upcoming: upcomingChange.optional(),
  })
  .meta({ id: "DomainEffectiveItem" });

export const domainEffectivePage = page(domainEffectiveItem, "DomainEffectivePage");

/** The usual cursor pagination, with pages of up to 10,000 (one page answers most domains whole). */
export const domainEffectiveQuery = paginationQuery.extend({
  limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
});
