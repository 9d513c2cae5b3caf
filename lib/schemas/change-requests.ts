// Change requests (four eyes): changes to a client's assignments saved for review, their impact, reviews and apply.
import { z } from "zod";
import { assignmentPutBody } from "./assignments";
import { identifier, isoDateTime, jsonObject, page, paginationQuery } from "./common";
import { blockingServiceSchema } from "./features";
import { contractDiffRow } from "./registry";

export const CHANGE_REQUEST_STATUSES = [
  "open",
  "approved",
  "applied",
  "rejected",
  "withdrawn",
  "stale",
  "failed",
] as const;
export const changeRequestStatus = z.enum(CHANGE_REQUEST_STATUSES);
export type ChangeRequestStatus = z.infer<typeof changeRequestStatus>;

export const reviewDecision = z.enum(["approve", "reject", "comment"]);

const changeInput = z
  .strictObject({
    domain_id: identifier("Domain identifier within the request's client."),
    service_id: identifier("The service whose own assignment changes; omit for the domain default.")
      .nullable()
      .optional(),
    assignment_key: identifier("The assignment key the change writes."),
    body: assignmentPutBody.meta({
      description: "The upsert's body, `service_updates` included (as PUT takes it)",
    }),
    if_match: z.string().max(200).optional().meta({
      description:
        "The base revision: the ETag or assignment_id of the active revision the change was made against (default: the one active when the request is opened or edited); a later write to the key makes the request stale",
    }),
  })
  .meta({ id: "ChangeRequestChangeInput" });
export type ChangeInput = z.input<typeof changeInput>;

const changes = z
  .array(changeInput)
  .min(1, "a change request holds at least one change")
  .max(200, "a change request holds at most 200 changes; split it into several")
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [i, c] of list.entries()) {
      const id = `${c.domain_id}/${c.service_id ?? ""}/${c.assignment_key}`;
      if (seen.has(id)) {
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `changes names domain "${c.domain_id}"${c.service_id ? `, service "${c.service_id}"` : ""}, key "${c.assignment_key}" more than once; merge them into one change`,
        });
        return;
      }
      seen.add(id);
    }
  });

const title = z.string().trim().min(1, "give the request a title").max(200);
const description = z.string().max(5000);
const applyAt = isoDateTime.meta({
  description:
    "When to apply once approved (a time ahead, else 400): the server applies it then as POST …/apply would, or marks it `failed` with the reason; POST …/apply still applies it earlier by hand",
});

export const changeRequestCreateBody = z
  .strictObject({
    title,
    description: description.optional(),
    apply_at: applyAt.optional(),
    changes,
  })
  .meta({ id: "ChangeRequestCreate" });
export type ChangeRequestCreateBody = z.input<typeof changeRequestCreateBody>;

export const changeRequestPatchBody = z
  .strictObject({
    title: title.optional(),
    description: description.nullable().optional(),
    apply_at: applyAt.nullable().optional(),
    changes: changes.optional(),
  })
  .meta({ id: "ChangeRequestPatch" });

export const reviewBody = z
  .strictObject({
    decision: reviewDecision,
    comment: z.string().trim().max(5000).optional(),
    impact_hash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "the request's impact_hash as you read it (64 hex digits)")
      .meta({ description: "The impact_hash the reviewer saw; 409 if the impact changed since" }),
  })
  .meta({ id: "ChangeRequestReview" });

const modelRef = z.object({
  model_id: z.string(),
  model_version: z.string(),
  source: z.enum(["service", "domain_default"]),
});

export const changeImpact = z
  .object({
    base_assignment_id: z.uuid().nullable().meta({
      description: "The scope's active revision the change is based on (null: none yet)",
    }),
    moves: z
      .array(
        z.object({
          from: modelRef.nullable(),
          to: modelRef.nullable(),
          service_ids: z.array(z.string()),
        }),
      )
      .meta({ description: "Services whose effective model moves, grouped by from → to" }),
    blocking_services: z.array(blockingServiceSchema).meta({
      description:
        "Services that would not satisfy their contracts: the request can be reviewed but not applied",
    }),
    contract_diff: contractDiffRow.nullable().meta({
      description:
        "The contract diff from the current effective version to the new one (null when nothing is effective yet, or the change retires the key)",
    }),
    service_updates: z.array(
      z.object({ service_id: z.string(), before: jsonObject, after: jsonObject }),
    ),
    refusal: z.object({ status: z.number().int(), message: z.string() }).nullable().meta({
      description: "Why the change could not be made now (at apply: the request goes stale)",
    }),
    unchanged: z.boolean().meta({ description: "The change would write nothing" }),
  })
  .meta({ id: "ChangeImpact" });
export type ChangeImpact = z.infer<typeof changeImpact>;

export const storedChange = z
  .object({
    domain_id: z.string(),
    service_id: z.string().nullable(),
    assignment_key: z.string(),
    body: jsonObject,
    if_match: z.uuid().nullable().meta({ description: "The base revision (assignment_id)" }),
    impact: changeImpact,
  })
  .meta({ id: "ChangeRequestChange" });
export type StoredChange = z.infer<typeof storedChange>;

export const changeRequestReviewRow = z
  .object({
    id: z.uuid(),
    reviewer: z.string(),
    decision: reviewDecision,
    comment: z.string().nullable(),
    impact_hash: z.string(),
    at: isoDateTime,
    counts: z.boolean().meta({
      description:
        "An approval that counts now: of the request as it stands (not voided by an edit) and by someone other than the author (unless self-approval is allowed)",
    }),
  })
  .meta({ id: "ChangeRequestReviewRow" });

export const changeRequestRow = z
  .object({
    id: z.uuid(),
    client_id: z.string(),
    number: z.number().int().min(1),
    title: z.string(),
    description: z.string().nullable(),
    status: changeRequestStatus,
    author: z.string(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    apply_at: isoDateTime.nullable(),
    domain_ids: z.array(z.string()),
    required_approvals: z.number().int().min(0).max(5),
    allow_self_approval: z.boolean(),
    approvals: z.number().int().meta({ description: "Approvals that count now" }),
    blocked: z.boolean().meta({
      description: "Some change has blocking services: the request can't be applied until fixed",
    }),
    impact_hash: z.string().meta({
      description:
        "SHA-256 of the changes and their impact in canonical JSON: what a review approves",
    }),
    status_reason: z.string().nullable(),
    approved_impact: z.array(changeImpact).nullable().meta({
      description:
        "Stale: the impact that had been approved, per change; `changes` now hold the impact found at apply, to be approved again",
    }),
    applied_at: isoDateTime.nullable(),
    applied_by: z.string().nullable(),
    changes: z.array(storedChange),
    reviews: z.array(changeRequestReviewRow),
  })
  .meta({ id: "ChangeRequest" });
export type ChangeRequest = z.infer<typeof changeRequestRow>;

export const changeRequestSummary = changeRequestRow
  .omit({ changes: true, reviews: true, approved_impact: true })
  .extend({ change_count: z.number().int() })
  .meta({ id: "ChangeRequestSummary" });
export type ChangeRequestSummary = z.infer<typeof changeRequestSummary>;

export const changeRequestPage = page(changeRequestSummary, "ChangeRequestPage");

export const changeRequestListQuery = paginationQuery.extend({
  status: changeRequestStatus.optional(),
  domain_id: identifier("Only requests with a change in this domain").optional(),
  author: z.string().max(200).optional(),
  needs_review_by: z.literal("me").optional().meta({
    description:
      "`me`: open or stale requests the caller may approve and has not approved as they stand",
  }),
});
