// Change requests (four eyes): a client's changes saved for review, reviewed on their impact, applied once.
import "server-only";
import * as changeRequests from "@/lib/server/change-requests/change-requests";
import type { OperationContext } from "@/lib/server/http/operation";
import {
  changeRequestCreateBody,
  changeRequestListQuery,
  changeRequestPage,
  changeRequestPatchBody,
  changeRequestRow,
  reviewBody,
} from "@/lib/schemas/change-requests";
import { ERROR_DESCRIPTIONS } from "./shared";
import type { ChangeRequest } from "@/lib/schemas/change-requests";
import { wakeScheduler } from "@/lib/server/scheduler/scheduler";
import { family, ids } from "./define";

const BASE = "/v2/clients/{client_id}/change-requests";
const ONE = `${BASE}/{change_request_id}`;
const op = family("Change requests");

type Caller = Pick<OperationContext<typeof ONE, unknown, unknown>, "actor" | "meta" | "params">;

/** The request the path names, written by the caller. */
const target = ({ actor, meta, params }: Caller) => ({
  actor,
  meta,
  clientId: params.client_id,
  id: params.change_request_id,
});

/** How deciding a request's changes (at open and at every edit) can refuse it. */
const DECIDING_CHANGES = {
  412: "A change's `if_match` is no longer the active revision of its key.",
  422: ERROR_DESCRIPTIONS[422],
};

/** A request now approved with `apply_at`: every instance's scheduler learns its time (after the commit). */
async function scheduled(
  ctx: Pick<OperationContext<string, unknown, unknown>, "db" | "dryRun">,
  row: ChangeRequest,
) {
  if (!ctx.dryRun && row.status === "approved" && row.apply_at !== null)
    await wakeScheduler(ctx.db);
  return row;
}

export const listChangeRequests = op.get({
  path: BASE,
  operationId: "listChangeRequests",
  summary: "List a client's change requests, newest first",
  description:
    "Filters: `status`, `domain_id` (a change in that domain), `author`, and `needs_review_by=me`: open or stale requests the caller may approve and has neither approved as they stand nor rejected.",
  scope: "assignments:read",
  query: changeRequestListQuery,
  answers: { description: "A page of change requests", schema: changeRequestPage },
  read: ({ db, actor, params, query }) =>
    changeRequests.listChangeRequests(db, { actor, ...ids(params), ...query }),
});

export const openChangeRequest = op.create({
  path: BASE,
  operationId: "openChangeRequest",
  summary: "Open a change request",
  description:
    "1–200 changes across the client's domains, each an assignment upsert (`body` as PUT takes it, `service_updates` included) with its base revision (`if_match`, default: the active one now). " +
    "Each change is decided now, as a PUT would be: a change the PUT would refuse (unknown domain or model, stale `if_match`) refuses the request; blocking services do not (the request can be reviewed, not applied). " +
    "The answer holds each change's impact (services that move from → to, blocking services, the contract diff, the service patches) and `impact_hash`, what reviews approve. " +
    "`apply_at` (in the future, else 400) schedules it: once approved (at once with no approval required) the server applies it at that time as POST …/apply would, or marks it `failed` with the reason (`change_request.failed`) and writes nothing; until then effective reads of the services it moves carry `upcoming`.",
  scope: "assignments:write",
  dryRun: true,
  body: { schema: changeRequestCreateBody },
  answers: { description: "The request, opened", schema: changeRequestRow },
  errors: DECIDING_CHANGES,
  write: async (ctx) => {
    const { db, actor, meta, params, body, dryRun } = ctx;
    const open = { actor, meta, clientId: params.client_id, body };
    return scheduled(ctx, await changeRequests.openChangeRequest(db, open, { dryRun }));
  },
  located: (row) => [getChangeRequest, { client_id: row.client_id, change_request_id: row.id }],
});

export const getChangeRequest = op.get({
  path: ONE,
  operationId: "getChangeRequest",
  summary: "Get a change request: its changes, their impact and the reviews",
  description:
    "Each change with its base revision and impact, `impact_hash` (what a review approves), the reviews (each saying whether it counts now), and for a stale request the impact that had been approved (`approved_impact`) beside the one found at apply.",
  scope: "assignments:read",
  answers: { description: "The change request", schema: changeRequestRow },
  read: ({ db, params }) =>
    changeRequests.getChangeRequest(db, {
      clientId: params.client_id,
      id: params.change_request_id,
    }),
});

export const editChangeRequest = op.patch({
  path: ONE,
  operationId: "editChangeRequest",
  summary: "Edit a change request (its author): voids every approval",
  description:
    "Title, description, `apply_at` or the changes (decided again, as at open). Every review so far stops counting: the request is open again (approved at once when no approval is required).",
  scope: "assignments:write",
  dryRun: true,
  body: { schema: changeRequestPatchBody },
  answers: { description: "The edited request", schema: changeRequestRow },
  errors: {
    ...DECIDING_CHANGES,
    409: "The request is applied, withdrawn or failed: it can't be edited.",
  },
  write: async (ctx) =>
    scheduled(
      ctx,
      await changeRequests.editChangeRequest(
        ctx.db,
        { ...target(ctx), body: ctx.body },
        { dryRun: ctx.dryRun },
      ),
    ),
});

export const reviewChangeRequest = op.post({
  path: `${ONE}/reviews`,
  operationId: "reviewChangeRequest",
  summary: "Approve, reject or comment on a change request",
  description:
    "`impact_hash` is the one the reviewer saw: 409 if the request's impact changed since. Approvals count from people and tokens with write access to the client other than the author (unless the policy allows self-approval); one reject blocks the request until its author edits it. Enough approvals make it `approved`.",
  scope: "assignments:write",
  dryRun: true,
  body: { schema: reviewBody },
  answers: { description: "The request with the review", schema: changeRequestRow },
  errors: {
    409: "The impact changed since the reviewer read it, or the request takes no more reviews.",
  },
  write: async (ctx) =>
    scheduled(
      ctx,
      await changeRequests.reviewChangeRequest(
        ctx.db,
        { ...target(ctx), body: ctx.body },
        { dryRun: ctx.dryRun },
      ),
    ),
});

export const applyChangeRequest = op.post({
  path: `${ONE}/apply`,
  operationId: "applyChangeRequest",
  summary: "Apply an approved change request, now and exactly once",
  description:
    "Its author or an admin. Every change is decided again: if the impact differs from the approved one (another write to a key, a service's features changed, a service joined or departed), the request becomes `stale` (409, nothing written) and needs approval again. " +
    "Else every change is written in one transaction, each revision carrying `change_request_id`. A concurrent second apply waits for the first and answers 409.",
  scope: "assignments:write",
  dryRun: true,
  answers: { description: "The applied request", schema: changeRequestRow },
  errors: {
    409: "Not approved (or no longer: stale), already applied, or not enough approvals.",
    422: "Services block a change (`blocking_services`): fix them in the request.",
  },
  blocking422: true,
  write: (ctx) => changeRequests.applyChangeRequest(ctx.db, target(ctx), { dryRun: ctx.dryRun }),
});

export const withdrawChangeRequest = op.post({
  path: `${ONE}/withdraw`,
  operationId: "withdrawChangeRequest",
  summary: "Withdraw a change request (its author or an admin)",
  description:
    "An open, approved, rejected or stale request can be withdrawn; it can't be applied or edited afterwards.",
  scope: "assignments:write",
  dryRun: true,
  answers: { description: "The withdrawn request", schema: changeRequestRow },
  errors: {
    409: "The request is applied, withdrawn or failed already.",
  },
  write: (ctx) => changeRequests.withdrawChangeRequest(ctx.db, target(ctx), { dryRun: ctx.dryRun }),
});
