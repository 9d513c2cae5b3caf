// Rollouts: one assignment key moved to a model version across domains in ordered waves, gated on observed state.
import "server-only";
import * as rollouts from "@/lib/server/rollouts/rollouts";
import { created, defineOperation, type Operation } from "@/lib/server/http/operation";
import { json } from "@/lib/server/http/route";
import {
  rolloutCreateBody,
  rolloutListQuery,
  rolloutPage,
  rolloutActionQuery,
  rolloutPreview,
  rolloutRow,
} from "@/lib/schemas/rollouts";
import { ERROR_DESCRIPTIONS } from "./shared";

const BASE = "/v2/rollouts";
const ONE = `${BASE}/{rollout_id}`;
const TAG = "Rollouts";

export const listRollouts = defineOperation({
  method: "GET",
  path: BASE,
  operationId: "listRollouts",
  tag: TAG,
  summary: "List rollouts, newest first",
  description:
    "The rollouts whose every client the caller may touch. Filters: `status`, `client_id` (moves a domain of that client).",
  scope: "assignments:read",
  query: rolloutListQuery,
  success: { 200: { description: "A page of rollouts", schema: rolloutPage } },
  handler: async ({ db, actor, query }) =>
    json(await rollouts.listRollouts(db, { actor, ...query })),
});

const CREATE_DESCRIPTION =
  "Moves `assignment_key`'s domain default to `model_id`@`model_version` wave by wave. Each wave's domains are written as one change request per client (so the client's approval policy holds: with approvals required the wave waits for them; with none it applies at once); the next wave starts when the wave's gate is met: `wait_seconds` after it applied, `min_synced_percent` of its services reporting `synced`, and `manual` a person's promotion. A `failed` report of any of its services stops the rollout, as does a gate past its `timeout_seconds` or a wave that can't be applied; `status_reason` says why. " +
  "The domains of one client, or of several for a caller with access to every client. A domain default keeps its role, settings and metadata; `service_updates` patch services with their domain's wave. " +
  "Every wave is previewed first: when services block any wave, nothing starts (422 with `blocking_services` and the `preview`). `?dry_run=true` answers what the call would (the preview included) and writes nothing.";

export const createRollout = defineOperation({
  method: "POST",
  path: BASE,
  operationId: "createRollout",
  tag: TAG,
  summary: "Start a rollout in waves",
  description: CREATE_DESCRIPTION,
  scope: "assignments:write",
  dryRun: true,
  body: { schema: rolloutCreateBody, maxBytes: 4 * 1024 * 1024 },
  success: {
    201: {
      description: "The rollout, started (its first wave opened or applied)",
      schema: rolloutRow,
      headers: ["Location"],
    },
  },
  errors: {
    404: ERROR_DESCRIPTIONS[404],
    422: "A domain is inactive, a model version is missing, a service update names a domain no wave moves, or services block a wave (`blocking_services`, `preview`).",
  },
  blocking422: true,
  handler: async ({ db, actor, meta, body, dryRun }) => {
    const row = await rollouts.createRollout(db, { actor, meta, body }, { dryRun });
    return created(getRollout, { rollout_id: row.id }, row);
  },
});

export const previewRollout = defineOperation({
  method: "POST",
  path: `${BASE}/preview`,
  operationId: "previewRollout",
  tag: TAG,
  summary: "Preview a rollout: each wave's affected and blocking services",
  description:
    "The same body as POST /rollouts; writes nothing. Per wave and domain: the services whose effective model moves to the version, those that would block it (with what is missing or invalid), and the revision active now. Answers 200 even when services block, so they can be fixed before the first wave moves.",
  scope: "assignments:write",
  body: { schema: rolloutCreateBody, maxBytes: 4 * 1024 * 1024 },
  success: { 200: { description: "The preview", schema: rolloutPreview } },
  errors: { 404: ERROR_DESCRIPTIONS[404], 422: ERROR_DESCRIPTIONS[422] },
  handler: async ({ db, actor, body }) => json(await rollouts.previewRollout(db, { actor, body })),
});

export const getRollout = defineOperation({
  method: "GET",
  path: ONE,
  operationId: "getRollout",
  tag: TAG,
  summary: "Get a rollout: its waves, their state and synced share",
  description:
    "Each wave with its status, change requests, the revisions it replaced, and (once applied) its services by sync state now.",
  scope: "assignments:read",
  success: { 200: { description: "The rollout", schema: rolloutRow } },
  handler: async ({ db, actor, params }) =>
    json(await rollouts.getRollout(db, { actor, id: params.rollout_id })),
});

const ACTIONS: Record<
  rollouts.RolloutAction,
  { summary: string; description: string; conflict: string }
> = {
  pause: {
    summary: "Pause a running rollout",
    description: "The scheduler leaves it alone until it is resumed; nothing is undone.",
    conflict: "The rollout is not running.",
  },
  resume: {
    summary: "Resume a paused or stopped rollout",
    description:
      "Runs its next step now. A wave that stopped it is tried again: its unapplied change requests are withdrawn and new ones opened (so fix what stopped it first); an applied wave's gate is checked again.",
    conflict: "The rollout is not paused or stopped.",
  },
  promote: {
    summary: "Promote the current wave: a person passes its gate",
    description:
      "The current wave, once applied, counts as having met its gate (a `manual` gate needs this); the next wave starts now. A wave still waiting for its change requests' approval can't be promoted.",
    conflict: "No applied wave to promote, or the rollout is finished.",
  },
  abort: {
    summary: "Abort a rollout: stop it for good",
    description:
      "Unapplied change requests of its current wave are withdrawn; applied waves stay as they are (roll back to undo them).",
    conflict: "The rollout is finished already.",
  },
  rollback: {
    summary: "Roll back every applied wave, in one transaction",
    description:
      "Restores the domain default revisions that were active before each applied wave (a new revision copying each, `restored_from_revision` set; the key retired where none was active), all in one transaction, audited and on the change feed. Service patches the waves wrote are kept.",
    conflict: "Already rolled back, or no wave applied.",
  },
};

function action(name: rollouts.RolloutAction): Operation<`${typeof ONE}/${string}`> {
  const a = ACTIONS[name];
  return defineOperation({
    method: "POST",
    path: `${ONE}/${name}` as `${typeof ONE}/${string}`,
    operationId: `${name}Rollout`,
    tag: TAG,
    summary: a.summary,
    description: a.description,
    scope: "assignments:write",
    dryRun: true,
    query: rolloutActionQuery,
    success: { 200: { description: "The rollout after the action", schema: rolloutRow } },
    errors: { 409: a.conflict },
    handler: async ({ db, actor, meta, params, query, dryRun }) =>
      json(
        await rollouts.actOnRollout(
          db,
          { actor, meta, id: params.rollout_id, action: name, wave: query.wave },
          { dryRun },
        ),
      ),
  });
}

export const pauseRollout = action("pause");
export const resumeRollout = action("resume");
export const promoteRollout = action("promote");
export const abortRollout = action("abort");
export const rollbackRollout = action("rollback");
