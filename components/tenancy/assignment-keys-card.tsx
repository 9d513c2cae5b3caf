"use client";
// The domain's assignment keys: each key's domain default (model@version, revision, who and when), how many
// services override it, and the ways to change it or see its history.
import Link from "next/link";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, QueryState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useAssignmentKeys } from "@/lib/queries/assignment-keys";
import { formatActor, formatWhen } from "./format";
import { ModelVersionLink } from "./model-version-link";
import { paths } from "./paths";

export function AssignmentKeysCard({ clientId, domainId, canWrite }: { clientId: string; domainId: string; canWrite: boolean }) {
  const assignmentKeys = useAssignmentKeys(clientId, domainId);
  return (
    <Card>
      <CardHeader
        id="assignment-keys-heading"
        title="Assignment keys"
        description="Each key is a capability (default, eta, …): the domain default applies to every active service without an override of its own."
        actions={
          canWrite ? (
            <ButtonLink variant="primary" size="sm" href={paths.newAssignment(clientId, domainId)}>
              New assignment key
            </ButtonLink>
          ) : null
        }
      />
      <QueryState query={assignmentKeys} loadingLabel="Loading assignment keys…">
        {({ items }) =>
          items.length === 0 ? (
            <EmptyState title="No assignment keys yet">
              {canWrite ? "Create one with “New assignment key” to choose which model version this domain runs." : "Nothing is assigned in this domain yet."}
            </EmptyState>
          ) : (
            <Table aria-labelledby="assignment-keys-heading">
              <thead>
                <tr>
                  <Th>Key</Th>
                  <Th>Domain default</Th>
                  <Th className="text-right">Revision</Th>
                  <Th>Last changed</Th>
                  <Th className="text-right">Service overrides</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {items.map(({ assignment_key: key, domain_default: current, override_count }) => (
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
                          <time dateTime={current.created_at}>{formatWhen(current.created_at)}</time>
                        </>
                      ) : (
                        "—"
                      )}
                    </Td>
                    <Td className="text-right tabular-nums">{override_count}</Td>
                    <Td>
                      <div className="flex justify-end gap-1">
                        {canWrite ? (
                          <ButtonLink size="sm" variant="secondary" href={paths.domainAssignment(clientId, domainId, key)}>
                            {current ? "Edit" : "Set default"}
                            <span className="sr-only"> key {key}</span>
                          </ButtonLink>
                        ) : null}
                        <Link className="inline-flex h-8 items-center rounded-md px-2.5 text-sm text-accent hover:bg-muted hover:underline" href={paths.domainAssignmentHistory(clientId, domainId, key)}>
                          History<span className="sr-only"> of key {key}</span>
                        </Link>
                      </div>
                    </Td>
                  </Tr>
                ))}
              </tbody>
            </Table>
          )
        }
      </QueryState>
    </Card>
  );
}
