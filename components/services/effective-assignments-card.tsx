"use client";
// Per assignment key of the domain: what this service runs (its own override or the domain default), whether
// that differs from the domain default, and the ways to override a key, remove an override, or see its history.
import { useChangeReason } from "@/components/audit/reason-field";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import { KeyHistoryLink } from "@/components/assignments/key-history-link";
import { ModelVersionLink } from "@/components/tenancy/model-version-link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import type { Assignment, ModelVersion } from "@/lib/browser/api-client/types";
import type { Features } from "@/lib/features/types";
import { useAssignmentKeys } from "@/lib/browser/queries/assignment-keys";
import { resaveBody, useAssignments, useUpsertAssignment } from "@/lib/browser/queries/assignments";
import { OverrideForm } from "./override-form";

const sameVersion = (
  a: { model_id: string; model_version: string } | null | undefined,
  b: { model_id: string; model_version: string } | null | undefined,
) => !!a && !!b && a.model_id === b.model_id && a.model_version === b.model_version;

export function EffectiveAssignmentsCard({
  clientId,
  domainId,
  service,
  canOverride,
  onFixFeatures,
}: {
  clientId: string;
  domainId: string;
  service: { service_id: string; provided_features: Features; status: "active" | "departed" };
  canOverride: boolean;
  onFixFeatures: (version: ModelVersion) => void;
}) {
  const scope = { clientId, domainId, serviceId: service.service_id };
  const assignmentKeys = useAssignmentKeys(clientId, domainId);
  const ownOverrides = useAssignments(scope);
  const own = useMemo(
    () => new Map((ownOverrides.data?.items ?? []).map((a) => [a.assignment_key, a])),
    [ownOverrides.data],
  );
  const defaults = useMemo(
    () =>
      new Map((assignmentKeys.data?.items ?? []).map((k) => [k.assignment_key, k.domain_default])),
    [assignmentKeys.data],
  );
  const allKeys = useMemo(
    () => [...new Set([...defaults.keys(), ...own.keys()])].sort(),
    [defaults, own],
  );

  const [form, setForm] = useState<{ key: string | null } | null>(null);
  const [removing, setRemoving] = useState<Assignment | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const upsert = useUpsertAssignment(scope);
  const changeReason = useChangeReason("remove-override-reason", useReasonRequired(clientId));
  const actionButtons = useRef(new Map<string, HTMLButtonElement>());
  const removeButtons = useRef(new Map<string, HTMLButtonElement>());
  const addButton = useRef<HTMLButtonElement>(null);

  const focusAfter = (key: string | null) =>
    requestAnimationFrame(() =>
      ((key && actionButtons.current.get(key)) || addButton.current)?.focus(),
    );

  const removeOverride = async () => {
    if (!removing) return;
    setRemoveError(null);
    const key = removing.assignment_key;
    if (!changeReason.check()) return;
    try {
      // Archiving the key's override (the seed PUT with status archived) leaves no active override: the domain default applies again.
      await upsert.mutateAsync({
        key,
        body: resaveBody(removing, "archived"),
        ifMatch: `"${removing.assignment_id}"`,
        reason: changeReason.reason,
      });
      changeReason.reset();
      const fallback = defaults.get(key);
      toast.success(
        fallback
          ? `Removed the override: ${service.service_id} follows the domain default ${fallback.model_id}@${fallback.model_version} for “${key}”`
          : `Removed the override of “${key}”: the domain has no default for it`,
      );
      setRemoving(null);
      focusAfter(key);
    } catch (error) {
      setRemoveError((error as Error).message);
    }
  };

  const loading = assignmentKeys.isPending || ownOverrides.isPending;
  const error = assignmentKeys.error ?? ownOverrides.error;

  return (
    <Card>
      <CardHeader
        id="effective-heading"
        title="Effective assignments"
        description="What this service runs for each key of the domain: its own override, else the domain default."
        actions={
          canOverride && !form ? (
            <Button
              ref={addButton}
              size="sm"
              variant="primary"
              onClick={() => setForm({ key: null })}
            >
              Override a key
            </Button>
          ) : null
        }
      />
      {loading ? (
        <LoadingState label="Loading assignments…" />
      ) : error ? (
        <ErrorState
          error={error}
          onRetry={() => {
            void assignmentKeys.refetch();
            void ownOverrides.refetch();
          }}
        />
      ) : allKeys.length === 0 ? (
        <EmptyState title="Nothing assigned in this domain yet">
          {canOverride
            ? "Use “Override a key” to give this service a model version of its own."
            : null}
        </EmptyState>
      ) : (
        <Table aria-labelledby="effective-heading">
          <thead>
            <tr>
              <Th>Key</Th>
              <Th>Runs</Th>
              <Th>Source</Th>
              <Th>Domain default</Th>
              <Th>Compared with the default</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {allKeys.map((key) => {
              const fallback = defaults.get(key) ?? null;
              const override = own.get(key);
              // The effective assignment is the service's own override, else the domain default (as GET …/effective
              // answers); both are loaded already, so no request per key. A departed service runs nothing.
              const current =
                service.status === "departed"
                  ? null
                  : override
                    ? { ...override, source: "service" as const }
                    : fallback
                      ? { ...fallback, source: "domain_default" as const }
                      : null;
              return (
                <Tr key={key}>
                  <Td className="font-mono font-medium">{key}</Td>
                  <Td>
                    {current ? (
                      <ModelVersionLink
                        modelId={current.model_id}
                        version={current.model_version}
                      />
                    ) : (
                      <span className="text-fg-muted">Nothing</span>
                    )}
                  </Td>
                  <Td>
                    {current?.source === "service" ? (
                      <Badge tone="accent" className="border border-accent/40">
                        Own override · r{current.revision}
                      </Badge>
                    ) : current?.source === "domain_default" ? (
                      <Badge tone="neutral">Domain default</Badge>
                    ) : (
                      <span className="text-fg-muted">—</span>
                    )}
                  </Td>
                  <Td>
                    {fallback ? (
                      <ModelVersionLink
                        modelId={fallback.model_id}
                        version={fallback.model_version}
                      />
                    ) : (
                      <span className="text-fg-muted">None</span>
                    )}
                  </Td>
                  <Td>
                    {current?.source !== "service" ? (
                      <span className="text-fg-muted">{current ? "Follows the default" : "—"}</span>
                    ) : !fallback ? (
                      <Badge tone="warn">Override only: no domain default</Badge>
                    ) : sameVersion(current, fallback) ? (
                      <Badge tone="neutral">Same as the default</Badge>
                    ) : (
                      <Badge tone="warn">Differs from the default</Badge>
                    )}
                  </Td>
                  <Td>
                    <div className="flex flex-wrap justify-end gap-1">
                      {canOverride ? (
                        <Button
                          size="sm"
                          ref={(el) => {
                            if (el) actionButtons.current.set(key, el);
                            else actionButtons.current.delete(key);
                          }}
                          onClick={() => setForm({ key })}
                        >
                          {override ? "Change override" : "Override"}
                          <span className="sr-only"> of key {key}</span>
                        </Button>
                      ) : null}
                      {canOverride && override ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          className="text-danger"
                          ref={(el) => {
                            if (el) removeButtons.current.set(key, el);
                            else removeButtons.current.delete(key);
                          }}
                          onClick={() => {
                            setRemoveError(null);
                            setRemoving(override);
                          }}
                        >
                          Remove override<span className="sr-only"> of key {key}</span>
                        </Button>
                      ) : null}
                      <KeyHistoryLink scope={scope} assignmentKey={key} />
                    </div>
                  </Td>
                </Tr>
              );
            })}
          </tbody>
        </Table>
      )}
      {form ? (
        <CardBody className="border-t border-border">
          <OverrideForm
            key={form.key ?? ""}
            clientId={clientId}
            domainId={domainId}
            service={service}
            knownKeys={allKeys}
            initialKey={form.key}
            current={own}
            onDone={(savedKey) => {
              const from = form.key;
              setForm(null);
              focusAfter(savedKey ?? from);
            }}
            onFixFeatures={onFixFeatures}
          />
        </CardBody>
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (open || !removing) return;
          const key = removing.assignment_key;
          setRemoving(null);
          // Radix has no trigger to return to here: back to the button that asked.
          requestAnimationFrame(() => removeButtons.current.get(key)?.focus());
        }}
        title={
          removing ? `Remove the override of “${removing.assignment_key}”?` : "Remove the override?"
        }
        description={
          removing ? (
            <>
              {service.service_id} stops running {removing.model_id}@{removing.model_version} for
              this key and goes back to{" "}
              {defaults.get(removing.assignment_key)
                ? `the domain default, ${defaults.get(removing.assignment_key)!.model_id}@${defaults.get(removing.assignment_key)!.model_version}`
                : "nothing: the domain has no default for this key"}
              . The override stays in the key&apos;s history.
            </>
          ) : (
            ""
          )
        }
        error={removeError ? `Not removed: ${removeError}` : null}
        confirmLabel="Remove override"
        busy={upsert.isPending}
        onConfirm={() => void removeOverride()}
      >
        {changeReason.field}
      </ConfirmDialog>
    </Card>
  );
}
