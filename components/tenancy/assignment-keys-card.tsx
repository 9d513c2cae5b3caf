"use client";
// The domain's assignment keys: each key's domain default (model@version, revision, who and when), how many
// services override it, and the ways to change it or see its history.
import { KeyHistoryLink } from "@/components/assignments/key-history-link";
import { paths } from "@/components/paths";
import { ButtonLink } from "@/components/ui/button-link";
import { DateTime } from "@/components/ui/date-time";
import { QueryTableCard } from "@/components/ui/query-table-card";
import { EmptyState } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import { useAssignmentKeys } from "@/lib/browser/queries/assignment-keys";
import { formatActor } from "@/lib/shared/format-actor";
import { ModelVersionLink } from "./model-version-link";

export function AssignmentKeysCard({
  clientId,
  domainId,
  canWrite,
}: {
  clientId: string;
  domainId: string;
  canWrite: boolean;
}) {
  const assignmentKeys = useAssignmentKeys(clientId, domainId);
  return (
    <QueryTableCard
      headingId="assignment-keys-heading"
      title="Assignment keys"
      description="Each key is a capability (default, eta, …): the domain default applies to every active service without an override of its own."
      actions={
        canWrite ? (
          <ButtonLink variant="primary" size="sm" href={paths.newAssignment(clientId, domainId)}>
            New assignment key
          </ButtonLink>
        ) : null
      }
      query={assignmentKeys}
      loadingLabel="Loading assignment keys…"
      empty={
        <EmptyState title="No assignment keys yet">
          {canWrite
            ? "Create one with “New assignment key” to choose which model version this domain runs."
            : "Nothing is assigned in this domain yet."}
        </EmptyState>
      }
      columns={[
        "Key",
        "Domain default",
        { label: "Revision", className: "text-right" },
        "Last changed",
        { label: "Service overrides", className: "text-right" },
      ]}
      actionsColumn
    >
      {(items) =>
        items.map(({ assignment_key: key, domain_default: current, override_count }) => (
          <Tr key={key}>
            <Td className="font-mono font-medium">{key}</Td>
            <Td>
              {current ? (
                <ModelVersionLink modelId={current.model_id} version={current.model_version} />
              ) : (
                <span className="text-fg-muted">No domain default (overrides only)</span>
              )}
            </Td>
            <Td className="text-right tabular-nums">{current ? current.revision : "—"}</Td>
            <Td className="text-fg-muted">
              {current ? (
                <>
                  {formatActor(current.created_by)}
                  <br />
                  <DateTime value={current.created_at} />
                </>
              ) : (
                "—"
              )}
            </Td>
            <Td className="text-right tabular-nums">{override_count}</Td>
            <Td>
              <div className="flex justify-end gap-1">
                {canWrite ? (
                  <ButtonLink
                    size="sm"
                    variant="secondary"
                    href={paths.editor(clientId, domainId, key)}
                  >
                    {current ? "Edit" : "Set default"}
                    <span className="sr-only"> key {key}</span>
                  </ButtonLink>
                ) : null}
                <KeyHistoryLink scope={{ clientId, domainId }} assignmentKey={key} />
              </div>
            </Td>
          </Tr>
        ))
      }
    </QueryTableCard>
  );
}
