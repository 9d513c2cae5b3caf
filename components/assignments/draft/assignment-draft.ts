// The pure part of an assignment draft: what a write sends (content, status, service updates, the restore
// marker), the revision it is based on (its ETag goes in If-Match) and what an answer that refused it means
// (a conflict, services blocking it, fields the server named, anything else). use-assignment-draft.ts sends it.
import { ApiClientError, type ApiResult } from "@/lib/browser/api-client/api-fetch";
import type {
  Assignment,
  AssignmentPutBody,
  BlockingService,
  ValidationIssue,
} from "@/lib/browser/api-client/types";
import { assignmentEtag } from "@/lib/shared/assignment-etag";

export type ServiceUpdates = NonNullable<AssignmentPutBody["service_updates"]>;

/** What a revision runs: the model version and what goes with it. */
export type AssignmentContent = Pick<
  AssignmentPutBody,
  "model_id" | "model_version" | "role" | "settings" | "metadata"
>;

/** The revision a draft starts from, with the ETag that guards the write; null when the key has none. */
export type DraftBase = { data: Assignment; etag: string | null };

/** A revision read from a list (no ETag header per row) as the base of a draft. */
export const baseOf = (revision: Assignment): DraftBase => ({
  data: revision,
  etag: assignmentEtag(revision.assignment_id),
});

/** The base of a draft from a read that carried its ETag (the active revision of a key). */
export const baseFromResult = (
  result: ApiResult<Assignment> | null | undefined,
): DraftBase | null => (result ? { data: result.data, etag: result.etag } : null);

export function contentOf(revision: Assignment): Required<AssignmentContent> {
  return {
    model_id: revision.model_id,
    model_version: revision.model_version,
    role: revision.role,
    settings: revision.settings,
    metadata: revision.metadata,
  } as Required<AssignmentContent>;
}

/** The body of a write: the content, its status (absent: the server's default, active) and service updates. */
export function draftBody({
  content,
  status,
  updates = [],
  pins = [],
  restoredFrom,
}: {
  content: AssignmentContent;
  status?: "active" | "archived";
  updates?: ServiceUpdates;
  /** Services the domain default's change keeps on the version they run now (domain default route only). */
  pins?: readonly string[];
  /** The revision restored: the new revision says "restored from revision N" in history. */
  restoredFrom?: number;
}): AssignmentPutBody {
  return {
    ...content,
    ...(status ? { status } : {}),
    ...(updates.length ? { service_updates: updates } : {}),
    ...(pins.length ? { pin_services: [...pins] } : {}),
    ...(restoredFrom !== undefined ? { restored_from_revision: restoredFrom } : {}),
  } as AssignmentPutBody;
}

/** Saves a revision's content again, as the active revision: restore. */
export const restoreBody = (revision: Assignment): AssignmentPutBody =>
  draftBody({ content: contentOf(revision), status: "active", restoredFrom: revision.revision });

/** Saves a revision's content again, archived, so no revision of the key stays active: retire. */
export const retireBody = (revision: Assignment): AssignmentPutBody =>
  draftBody({ content: contentOf(revision), status: "archived" });

/** Why a write was refused, routed to where the console shows it. */
export type DraftFailure = { status: number; message: string; error: unknown } & (
  | /** 412: the base changed meanwhile; 409: someone created the key meanwhile. */
    { kind: "conflict"; conflict: "changed" | "created" }
    /** 422 naming the services the change would leave incompatible. */
  | { kind: "blocked"; blocking: BlockingService[]; error: ApiClientError }
  /** Any other answer of the server, with the fields it named (if any). */
  | { kind: "refused"; issues: ValidationIssue[] }
  /** No answer (network) or not an API error at all. */
  | { kind: "failed" }
);

export function routeFailure(error: unknown): DraftFailure {
  if (!(error instanceof ApiClientError))
    return { kind: "failed", status: 0, message: (error as Error).message, error };
  const { status, message } = error;
  if (status === 412 || status === 409)
    return {
      kind: "conflict",
      conflict: status === 412 ? "changed" : "created",
      status,
      message,
      error,
    };
  if (status === 422 && error.blockingServices.length > 0)
    return { kind: "blocked", blocking: error.blockingServices, status, message, error };
  if (status === 0) return { kind: "failed", status, message, error };
  return { kind: "refused", issues: error.issues, status, message, error };
}

export type DraftOutcome =
  | { kind: "saved"; row: Assignment }
  /** The base already runs exactly this: the server kept it, no new revision. */
  | { kind: "unchanged"; row: Assignment }
  | ({ kind: "failure" } & { failure: DraftFailure });

/** Saved, or answered with the base itself (nothing changed). */
export const outcomeOf = (base: DraftBase | null, row: Assignment): DraftOutcome =>
  base && row.assignment_id === base.data.assignment_id
    ? { kind: "unchanged", row }
    : { kind: "saved", row };
