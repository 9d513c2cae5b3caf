"use client";
// The banners at the top of the form: someone else changed the key (with "Reload and reapply"), and what the
// reload found and kept.
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formatActor } from "@/lib/shared/format-actor";
import type { FormGroup } from "../assignment-form-schema";
import type { Conflict, Reloaded } from "./use-conflict-reload";

const GROUP_LABEL: Record<FormGroup, string> = {
  model: "model version",
  role: "role",
  settings: "settings",
  metadata: "metadata",
};

export function ConflictAlert({
  conflict,
  onReload,
}: {
  conflict: Conflict;
  onReload: () => void;
}) {
  return (
    <Alert
      tone="danger"
      role="alert"
      title={
        conflict.kind === "changed"
          ? "Someone else changed this key since you opened it"
          : "Someone else created this key since you opened the form"
      }
      actions={
        // Also focused when the banner first shows (it may arrive after the conflict, fetched on demand).
        <Button id="reload-and-reapply" variant="primary" autoFocus onClick={onReload}>
          Reload and reapply
        </Button>
      }
    >
      <p>{conflict.message}</p>
      <p className="mt-1 text-fg-muted">
        Nothing was saved. Reload to see their revision; your choices and the features you typed
        stay in the form, so you can check them against it and save again.
      </p>
    </Alert>
  );
}

export function ReloadedAlert({ reloaded }: { reloaded: Reloaded }) {
  return (
    <Alert
      tone="warn"
      role="status"
      title={
        reloaded.revision
          ? `Reloaded: revision ${reloaded.revision.revision} by ${formatActor(reloaded.revision.created_by)} is active now`
          : "Reloaded: the key has no active revision any more"
      }
    >
      {reloaded.changes.length > 0 ? (
        <p>
          Their change:{" "}
          {reloaded.changes.map((c, i) => (
            <span key={c.field}>
              {i > 0 ? "; " : ""}
              <code className="font-mono">{c.field}</code> {c.from ?? "(none)"} → {c.to ?? "(none)"}
            </span>
          ))}
          .
        </p>
      ) : null}
      <p>
        {reloaded.kept.length > 0
          ? `Your changes to ${reloaded.kept.map((g) => GROUP_LABEL[g]).join(", ")} are reapplied on top.`
          : reloaded.clashes.length === 0
            ? "You had not changed anything yet."
            : null}
      </p>
      {reloaded.clashes.map((c) => (
        <p key={c.group} className="text-danger">
          You both changed the {GROUP_LABEL[c.group]}: the form keeps yours (theirs was {c.theirs}).
        </p>
      ))}
      <p className="text-fg-muted">Review the form and save again.</p>
    </Alert>
  );
}
