// Change requests (four eyes): a client's changes saved for review, reviewed on their impact, applied once.
import "server-only";
import * as changeRequests from "@/lib/server/change-requests/change-requests";
import { created, defineOperation } from "@/lib/server/http/operation";
import { json } from "@/lib/server/http/route";
import {
  changeRequestCreateBody,
  changeRequestListQuery,
  changeRequestPage,
  changeRequestPatchBody,
  changeRequestRow,
  reviewBody,
} from "@/lib/schemas/change-requests";
import { ERROR_DESCRIPTIONS } from "./shared";
import type { Database } from "@/db/types";
import type { ChangeRequest } from "@/lib/schemas/change-requests";
import { wakeScheduler } from "@/lib/server/scheduler/scheduler";

/** A request now approved with `apply_at`: every instance's scheduler learns its time (after the commit). */
async function scheduled(db: Database, row: ChangeRequest, dryRun: boolean | undefined) {
  if (!dryRun && row.status === "approved" && row.apply_at !== null) await wakeScheduler(db);
  return row;
}

const BASE = "/v2/clients/{client_id}/change-requests";
const ONE = `${BASE}/{change_request_id}`;
const TAG = "Change requests";

export const listChangeRequests = defineOperation({
  method: "GET",
  path: BASE,
  operationId: "listChangeRequests",
  tag: TAG,
  summary: "List a client's change requests, newest first",
  description:
    "Filters: `status`, `domain_id` (a change in that domain), `author`, and `needs_review_by=me`: open or stale requests the caller may approve and has neither approved as they stand nor rejected.",
  scope: "assignments:read",
  query: changeRequestListQuery,
  success: { 200: { description: "A page of change requests", schema: changeRequestPage } },
  handler: async ({ db, actor, params, query }) =>
    json(
      await changeRequests.listChangeRequests(db, { actor, clientId: params.client_id, ...query }),
    ),
});

export const openChangeRequest = defineOperation({
  method: "POST",
  path: BASE,
  operationId: "openChangeRequest",
  tag: TAG,
  summary: "Open a change request",
  description:
    "1–200 changes across the client's domains, each an assignment upsert (`body` as PUT takes it, `service_updates` included) with its base revision (`if_match`, default: the active one now). " +
    "Each change is decided now, as a PUT would be: a change the PUT would refuse (unknown domain or model, stale `if_match`) refuses the request; blocking services do not (the request can be reviewed, not applied). " +
    "The answer holds each change's impact (services that move from → to, blocking services, the contract diff, the service patches) and `impact_hash`, what reviews approve. " +
    "`apply_at` (in the future, else 400) schedules it: once approved (at once with no approval required) the server applies it at that time as POST …/apply would, or marks it `failed` with the reason (`change_request.failed`) and writes nothing; until then effective reads of the services it moves carry `upcoming`.",
  scope: "assignments:write",
  dryRun: true,
  body: { schema: changeRequestCreateBody },
  success: {
    201: { description: "The request, opened", schema: changeRequestRow, headers: ["Location"] },
  },
  errors: {
    412: "A change's `if_match` is no longer the active revision of its key.",
    422: ERROR_DESCRIPTIONS[422],
  },
  handler: async ({ db, actor, meta, params, body, dryRun }) => {
    const row = await scheduled(
      db,
      await changeRequests.openChangeRequest(
        db,
        { actor, meta, clientId: params.client_id, body },
        { dryRun },
      ),
      dryRun,
    );
    return created(getChangeRequest, { client_id: row.client_id, change_request_id: row.id }, row);
  },
});

export const getChangeRequest = defineOperation({
  method: "GET",
  path: ONE,
  operationId: "getChangeRequest",
  tag: TAG,
  summary: "Get a change request: its changes, their impact and the reviews",
  description:
    "Each change with its base revision and impact, `impact_hash` (what a review approves), the reviews (each saying whether it counts now), and for a stale request the impact that had been approved (`approved_impact`) beside the one found at apply.",
  scope: "assignments:read",
  success: { 200: { description: "The change request", schema: changeRequestRow } },
  handler: async ({ db, params }) =>
    json(
      await changeRequests.getChangeRequest(db, {
        clientId: params.client_id,
        id: params.change_request_id,
      }),
    ),
});

export const editChangeRequest = defineOperation({
  method: "PATCH",
  path: ONE,
  operationId: "editChangeRequest",
  tag: TAG,
  summary: "Edit a change request (its author): voids every approval",
  description:
    "Title, description, `apply_at` or the changes (decided again, as at open). Every review so far stops counting: the request is open again (approved at once when no approval is required).",
  scope: "assignments:write",
  dryRun: true,
  body: { schema: changeRequestPatchBody },
  success: { 200: { description: "The edited request", schema: changeRequestRow } },
  errors: {
    409: "The request is applied, withdrawn or failed: it can't be edited.",
    412: "A change's `if_match` is no longer the active revision of its key.",
    422: ERROR_DESCRIPTIONS[422],
  },
  handler: async ({ db, actor, meta, params, body, dryRun }) =>
    json(
      await scheduled(
        db,
        await changeRequests.editChangeRequest(
          db,
          { actor, meta, clientId: params.client_id, id: params.change_request_id, body },
          { dryRun },
        ),
        dryRun,
      ),
    ),
});

export const reviewChangeRequest = defineOperation({
  method: "POST",
  path: `${ONE}/reviews`,
  operationId: "reviewChangeRequest",
  tag: TAG,
  summary: "Approve, reject or comment on a change request",
  description:
    "`impact_hash` is the one the reviewer saw: 409 if the request's impact changed since. Approvals count from people and tokens with write access to the client other than the author (unless the policy allows self-approval); one reject blocks the request until its author edits it. Enough approvals make it `approved`.",
  scope: "assignments:write",
  dryRun: true,
  body: { schema: reviewBody },
  success: { 200: { description: "The request with the review", schema: changeRequestRow } },
  errors: {
    409: "The impact changed since the reviewer read it, or the request takes no more reviews.",
  },
  handler: async ({ db, actor, meta, params, body, dryRun }) =>
    json(
      await scheduled(
        db,
        await changeRequests.reviewChangeRequest(
          db,
          { actor, meta, clientId: params.client_id, id: params.change_request_id, body },
          { dryRun },
        ),
        dryRun,
      ),
    ),
});

export const applyChangeRequest = defineOperation({
  method: "POST",
  path: `${ONE}/apply`,
  operationId: "applyChangeRequest",
  tag: TAG,
  summary: "Apply an approved change request, now and exactly once",
  description:
    "Its author or an admin. Every change is decided again: if the impact differs from the approved one (another write to a key, a service's features changed, a service joined or departed), the request becomes `stale` (409, nothing written) and needs approval again. " +
    "Else every change is written in one transaction, each revision carrying `change_request_id`. A concurrent second apply waits for the first and answers 409.",
  scope: "assignments:write",
  dryRun: true,
  success: { 200: { description: "The applied request", schema: changeRequestRow } },
  errors: {
    409: "Not approved (or no longer: stale), already applied, or not enough approvals.",
    422: "Services block a change (`blocking_services`): fix them in the request.",
  },
  blocking422: true,
  handler: async ({ db, actor, meta, params, dryRun }) =>
    json(
      await changeRequests.applyChangeRequest(
        db,
        { actor, meta, clientId: params.client_id, id: params.change_request_id },
        { dryRun },
      ),
    ),
});

export const withdrawChangeRequest = defineOperation({
  method: "POST",
  path: `${ONE}/withdraw`,
  operationId: "withdrawChangeRequest",
  tag: TAG,
  summary: "Withdraw a change request (its author or an admin)",
  description:
    "An open, approved, rejected or stale request can be withdrawn; it can't be applied or edited afterwards.",
  scope: "assignments:write",
  dryRun: true,
  success: { 200: { description: "The withdrawn request", schema: changeRequestRow } },
  errors: {
    409: "The request is applied, withdrawn or failed already.",
  },
  handler: async ({ db, actor, meta, params, dryRun }) =>
    json(
      await changeRequests.withdrawChangeRequest(
        db,
        { actor, meta, clientId: params.client_id, id: params.change_request_id },
        { dryRun },
      ),
    ),
});
