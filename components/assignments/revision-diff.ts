// What changed between one revision of a key and the one before it, field by field, in words a person reads.
import type { Assignment, ServiceChange } from "@/lib/browser/api-client/types";
import { describeValue } from "@/lib/features/describe-value";
import { jsonEqual } from "@/lib/features/json-equal";

export type RevisionChange = {
  /** "model_version", "role", "settings.threshold", … */
  field: string;
  kind: "changed" | "added" | "removed";
  from: string | null;
  to: string | null;
};

type Comparable = Pick<Assignment, "model_id" | "model_version" | "role" | "settings" | "metadata">;

const show = (value: unknown): string => (typeof value === "string" ? value : describeValue(value));

function objectChanges(
  prefix: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): RevisionChange[] {
  const changes: RevisionChange[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const had = Object.hasOwn(before, key);
    const has = Object.hasOwn(after, key);
    const field = prefix ? `${prefix}.${key}` : key;
    if (had && !has)
      changes.push({ field, kind: "removed", from: describeValue(before[key]), to: null });
    else if (!had && has)
      changes.push({ field, kind: "added", from: null, to: describeValue(after[key]) });
    else if (!jsonEqual(before[key], after[key]))
      changes.push({
        field,
        kind: "changed",
        from: describeValue(before[key]),
        to: describeValue(after[key]),
      });
  }
  return changes;
}

/** The content changes from `previous` to `next`; an empty list means the same content (e.g. a retire or a restore of it). */
export function diffRevisions(previous: Comparable, next: Comparable): RevisionChange[] {
  const changes: RevisionChange[] = [];
  if (previous.model_id !== next.model_id) {
    changes.push({
      field: "model",
      kind: "changed",
      from: `${previous.model_id}@${previous.model_version}`,
      to: `${next.model_id}@${next.model_version}`,
    });
  } else if (previous.model_version !== next.model_version) {
    changes.push({
      field: "model_version",
      kind: "changed",
      from: previous.model_version,
      to: next.model_version,
    });
  }
  const roleBefore = previous.role ?? null;
  const roleAfter = next.role ?? null;
  if (roleBefore !== roleAfter) {
    changes.push({
      field: "role",
      kind: roleBefore === null ? "added" : roleAfter === null ? "removed" : "changed",
      from: roleBefore === null ? null : show(roleBefore),
      to: roleAfter === null ? null : show(roleAfter),
    });
  }
  changes.push(...objectChanges("settings", previous.settings ?? {}, next.settings ?? {}));
  changes.push(...objectChanges("metadata", previous.metadata ?? {}, next.metadata ?? {}));
  return changes;
}

/**
 * A retire (PUT with status "archived") stores its revision archived in the same transaction that creates it, so
 * its created_at equals its updated_at; a revision archived later, by the next change, was updated afterwards.
 */
export function isRetireRevision(
  revision: Pick<Assignment, "status" | "created_at" | "updated_at">,
): boolean {
  return (
    revision.status === "archived" &&
    Date.parse(revision.created_at) === Date.parse(revision.updated_at)
  );
}

export type ServiceFeatureChange = RevisionChange & { service_id: string };

/**
 * The service patches written with a revision, feature by feature (`route`, `night_service`, …), in service order.
 */
export function diffServiceChanges(changes: readonly ServiceChange[]): ServiceFeatureChange[] {
  return changes.flatMap((c) =>
    objectChanges("", c.before, c.after).map((change) => ({ ...change, service_id: c.service_id })),
  );
}
