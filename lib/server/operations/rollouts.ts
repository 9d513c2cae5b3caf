// Rollouts: one assignment key moved to a model version across domains in ordered waves, gated on observed state.
import "server-only";
import * as rollouts from "@/lib/server/rollouts/rollouts";
import type { Operation } from "@/lib/server/http/operation";
import {
  rolloutCreateBody,
  rolloutListQuery,
  rolloutPage,
  rolloutActionQuery,
  rolloutPreview,
  rolloutRow,
} from "@/lib/schemas/rollouts";
import { family } from "./define";
import { ERROR_DESCRIPTIONS } from "./shared";

const BASE = "/v2/rollouts";
const ONE = `${BASE}/{rollout_id}`;
const op = family("Rollouts");
/** The body of a rollout, as its create and its preview read it (up to 4 MiB). */
const ROLLOUT_BODY = { schema: rolloutCreateBody, maxBytes: 4 * 1024 * 1024 };

export const listRollouts = op.get({
  path: BASE,
  operationId: "listRollouts",
  summary: "List rollouts, newest first",
  description:
    "The rollouts whose every client the caller may touch. Filters: `status`, `client_id` (moves a domain of that client).",
  scope: "assignments:read",
  query: rolloutListQuery,
  answers: { description: "A page of rollouts", schema: rolloutPage },
  read: ({ db, actor, query }) => rollouts.listRollouts(db, { actor, ...query }),
});

const CREATE_DESCRIPTION =
  "Moves `assignment_key`'s domain default to `model_id`@`model_version` wave by wave. Each wave's domains are written as one change request per client (so the client's approval policy holds: with approvals required the wave waits for them; with none it applies at once); the next wave starts when the wave's gate is met: `wait_seconds` after it applied, `min_synced_percent` of its services reporting `synced`, and `manual` a person's promotion. A `failed` report of any of its services stops the rollout, as does a gate past its `timeout_seconds` or a wave that can't be applied; `status_reason` says why. " +
  "The domains of one client, or of several for a caller with access to every client. A domain default keeps its role, settings and metadata; `service_updates` patch services with their domain's wave. " +
  "Every wave is previewed first: when services block any wave, nothing starts (422 with `blocking_services` and the `preview`). `?dry_run=true` answers what the call would (the preview included) and writes nothing.";

export const createRollout = op.create({
  path: BASE,
  operationId: "createRollout",
  summary: "Start a rollout in waves",
  description: CREATE_DESCRIPTION,
  scope: "assignments:write",
  dryRun: true,
  body: ROLLOUT_BODY,
  answers: {
    description: "The rollout, started (its first wave opened or applied)",
    schema: rolloutRow,
  },
  errors: {
    404: ERROR_DESCRIPTIONS[404],
    422: "A domain is inactive, a model version is missing, a service update names a domain no wave moves, or services block a wave (`blocking_services`, `preview`).",
  },
  blocking422: true,
  write: ({ db, actor, meta, body, dryRun }) =>
    rollouts.createRollout(db, { actor, meta, body }, { dryRun }),
  located: (row) => [getRollout, { rollout_id: row.id }],
});

export const previewRollout = op.post({
  path: `${BASE}/preview`,
  operationId: "previewRollout",
  summary: "Preview a rollout: each wave's affected and blocking services",
  description:
    "The same body as POST /rollouts; writes nothing. Per wave and domain: the services whose effective model moves to the version, those that would block it (with what is missing or invalid), and the revision active now. Answers 200 even when services block, so they can be fixed before the first wave moves.",
  scope: "assignments:write",
  body: ROLLOUT_BODY,
  answers: { description: "The preview", schema: rolloutPreview },
  errors: { 404: ERROR_DESCRIPTIONS[404], 422: ERROR_DESCRIPTIONS[422] },
  write: ({ db, actor, body }) => rollouts.previewRollout(db, { actor, body }),
});

export const getRollout = op.get({
  path: ONE,
  operationId: "getRollout",
  summary: "Get a rollout: its waves, their state and synced share",
  description:
    "Each wave with its status, change requests, the revisions it replaced, and (once applied) its services by sync state now.",
  scope: "assignments:read",
  answers: { description: "The rollout", schema: rolloutRow },
  read: ({ db, actor, params }) => rollouts.getRollout(db, { actor, id: params.rollout_id }),
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
  return op.post({
    path: `${ONE}/${name}` as `${typeof ONE}/${string}`,
    operationId: `${name}Rollout`,
    summary: a.summary,
    description: a.description,
    scope: "assignments:write",
    dryRun: true,
    query: rolloutActionQuery,
    answers: { description: "The rollout after the action", schema: rolloutRow },
    errors: { 409: a.conflict },
    write: ({ db, actor, meta, params, query, dryRun }) =>
      rollouts.actOnRollout(
        db,
        { actor, meta, id: params.rollout_id, action: name, wave: query.wave },
        { dryRun },
      ),
  });
}

export const pauseRollout = action("pause");
export const resumeRollout = action("resume");
export const promoteRollout = action("promote");
export const abortRollout = action("abort");
export const rollbackRollout = action("rollback");
