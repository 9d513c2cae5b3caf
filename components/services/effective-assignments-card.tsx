"use client";
// Per assignment key of the domain: what this service runs (its own override or the domain default), whether
// that differs from the domain default, and the ways to override a key, remove an override, or see its history.
import { useConfirmWithReason } from "@/components/audit/use-confirm-with-reason";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { useRef, useState, type ReactNode } from "react";
import { toast } from "sonner";
import { KeyHistoryLink } from "@/components/assignments/key-history-link";
import { ModelVersionLink } from "@/components/tenancy/model-version-link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useButtonRefs } from "@/components/ui/use-button-refs";
import type { Assignment, ModelVersion } from "@/lib/browser/api-client/types";
import type { Features } from "@/lib/features/types";
import { baseOf, retireBody } from "@/components/assignments/draft/assignment-draft";
import { useAssignmentDraft } from "@/components/assignments/draft/use-assignment-draft";
import { OverrideForm } from "./override-form";
import { useServiceKeys } from "./use-service-keys";

type VersionRef = { model_id: string; model_version: string };

const sameVersion = (a: VersionRef | null | undefined, b: VersionRef | null | undefined) =>
  !!a && !!b && a.model_id === b.model_id && a.model_version === b.model_version;

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
  const { own, defaults, allKeys, loading, error, refetch } = useServiceKeys(
    clientId,
    domainId,
    service.service_id,
  );

  const [form, setForm] = useState<{ key: string | null } | null>(null);
  const draft = useAssignmentDraft({ scope, reasonId: "remove-override-reason" });
  const removing = useConfirmWithReason<Assignment>(
    "remove-override-reason",
    useReasonRequired(clientId),
  );
  const actionButtons = useButtonRefs();
  const removeButtons = useButtonRefs();
  const addButton = useRef<HTMLButtonElement>(null);

  const focusAfter = (key: string | null) =>
    requestAnimationFrame(() => ((key && actionButtons.get(key)) || addButton.current)?.focus());

  const removeOverride = () =>
    removing.confirm(async (override, reason) => {
      const key = override.assignment_key;
      // Archiving the key's override (the seed PUT with status archived) leaves no active override: the domain default applies again.
      const outcome = await draft.save({
        key,
        body: retireBody(override),
        base: baseOf(override),
        reason,
      });
      if (outcome.kind === "failure") throw outcome.failure.error;
      const fallback = defaults.get(key);
      toast.success(
        fallback
          ? `Removed the override: ${service.service_id} follows the domain default ${fallback.model_id}@${fallback.model_version} for “${key}”`
          : `Removed the override of “${key}”: the domain has no default for it`,
      );
      focusAfter(key);
    });

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
        <ErrorState error={error} onRetry={refetch} />
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
              const override = own.get(key);
              return (
                <EffectiveRow
                  key={key}
                  assignmentKey={key}
                  departed={service.status === "departed"}
                  override={override}
                  fallback={defaults.get(key) ?? null}
                >
                  {canOverride ? (
                    <Button
                      size="sm"
                      ref={actionButtons.refFor(key)}
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
                      ref={removeButtons.refFor(key)}
                      onClick={() => removing.ask(override)}
                    >
                      Remove override<span className="sr-only"> of key {key}</span>
                    </Button>
                  ) : null}
                  <KeyHistoryLink scope={scope} assignmentKey={key} />
                </EffectiveRow>
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
        open={removing.asking !== null}
        onOpenChange={(open) => {
          if (open || !removing.asking) return;
          const key = removing.asking.assignment_key;
          removing.dismiss();
          // Radix has no trigger to return to here: back to the button that asked.
          requestAnimationFrame(() => removeButtons.get(key)?.focus());
        }}
        title={
          removing.asking
            ? `Remove the override of “${removing.asking.assignment_key}”?`
            : "Remove the override?"
        }
        description={
          removing.asking ? (
            <RemoveOverrideQuestion
              serviceId={service.service_id}
              override={removing.asking}
              fallback={defaults.get(removing.asking.assignment_key) ?? null}
            />
          ) : (
            ""
          )
        }
        error={removing.error ? `Not removed: ${removing.error}` : null}
        confirmLabel="Remove override"
        busy={draft.saving}
        onConfirm={() => void removeOverride()}
      >
        {removing.reasonField}
      </ConfirmDialog>
    </Card>
  );
}

/** `model@version` linking to its contract, or `none` in muted text. */
function VersionOr({ version, none }: { version: VersionRef | null; none: string }) {
  return version ? (
    <ModelVersionLink modelId={version.model_id} version={version.model_version} />
  ) : (
    <span className="text-fg-muted">{none}</span>
  );
}

/** One key: what the service runs for it, where that comes from, and how it compares with the default. */
function EffectiveRow({
  assignmentKey,
  departed,
  override,
  fallback,
  children,
}: {
  assignmentKey: string;
  departed: boolean;
  override: Assignment | undefined;
  fallback: Assignment | null;
  /** The key's actions. */
  children: ReactNode;
}) {
  // The effective assignment is the service's own override, else the domain default (as GET …/effective
  // answers); both are loaded already, so no request per key. A departed service runs nothing.
  const current = departed
    ? null
    : override
      ? { ...override, source: "service" as const }
      : fallback
        ? { ...fallback, source: "domain_default" as const }
        : null;
  return (
    <Tr>
      <Td className="font-mono font-medium">{assignmentKey}</Td>
      <Td>
        <VersionOr version={current} none="Nothing" />
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
        <VersionOr version={fallback} none="None" />
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
        <div className="flex flex-wrap justify-end gap-1">{children}</div>
      </Td>
    </Tr>
  );
}

/** What removing the override changes: the service goes back to the domain default, or to nothing. */
function RemoveOverrideQuestion({
  serviceId,
  override,
  fallback,
}: {
  serviceId: string;
  override: Assignment;
  fallback: Assignment | null;
}) {
  return (
    <>
      {serviceId} stops running {override.model_id}@{override.model_version} for this key and goes
      back to{" "}
      {fallback
        ? `the domain default, ${fallback.model_id}@${fallback.model_version}`
        : "nothing: the domain has no default for this key"}
      . The override stays in the key&apos;s history.
    </>
  );
}
