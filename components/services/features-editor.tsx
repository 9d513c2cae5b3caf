"use client";
// The inline editor of one service's provided features (in a table row or on the service page): one typed
// input per feature, typed by the contracts that apply (the versions the service runs now and, when chosen, the
// version it is moving to); a feature no contract mentions is free-form, its type chosen explicitly. Unreadable
// input blocks Save with a message next to the field; only Remove deletes a key. Enter saves with a PATCH, Esc
// cancels. The server's refusal is shown next to the inputs, in its own words.
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ErrorState, LoadingState } from "@/components/ui/states";
import type { Features } from "@/lib/features/types";
import { FeatureRowFields } from "./feature-row-fields";
import type { EditorContract } from "./feature-rows";
import { useEditorContracts, type VersionRef } from "./use-editor-contracts";
import { useFeaturesForm } from "./use-features-form";

export function FeaturesEditor({
  clientId,
  domainId,
  service,
  contracts,
  onClose,
  className,
}: {
  clientId: string;
  domainId: string;
  service: { service_id: string; provided_features: Features };
  /** The contracts that apply: the versions the service runs now, and the target version (target: true). */
  contracts: readonly EditorContract[];
  /** Called after a save ("saved") or on Esc / Cancel ("cancelled"); the caller moves focus back. */
  onClose: (result: "saved" | "cancelled") => void;
  className?: string;
}) {
  const baseId = useId();
  const {
    form,
    formRef,
    fields,
    rows,
    merged,
    problems,
    remove,
    addFeature,
    onSubmit,
    onKeyDown,
    serverError,
    reasonField,
    saving,
  } = useFeaturesForm({ clientId, domainId, service, contracts, onClose });

  return (
    <form
      ref={formRef}
      aria-label={`Edit features of ${service.service_id}`}
      noValidate
      onSubmit={onSubmit}
      onKeyDown={onKeyDown}
      className={cn(
        "space-y-3 rounded-md border border-accent/40 bg-surface p-3 shadow-sm",
        className,
      )}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-sm font-medium">
          Features of <span className="font-mono">{service.service_id}</span>
          <ContractsNote contracts={contracts} />
        </p>
        <p className="text-xs text-fg-muted">
          Enter saves · Esc cancels · Remove deletes a feature
        </p>
      </div>

      {serverError ? (
        <div
          role="alert"
          className="rounded-md border border-danger/40 bg-danger-bg px-3 py-2 text-sm"
        >
          <p className="font-medium text-danger">Not saved</p>
          <p className="mt-0.5">{serverError}</p>
        </div>
      ) : null}

      {fields.length === 0 ? (
        <p className="text-sm text-fg-muted">
          No features yet. Use “Add feature” to give this service one.
        </p>
      ) : null}

      <div className="divide-y divide-border">
        {fields.map((field, index) => {
          const row = rows[index] ?? field;
          return (
            <FeatureRowFields
              key={field.id}
              form={form}
              index={index}
              row={row}
              inputId={`${baseId}-${index}`}
              merged={merged}
              problem={problems.get(row.key)}
              onDiscard={() => remove(index)}
            />
          );
        })}
      </div>

      <div className="max-w-xl">{reasonField}</div>

      <div className="flex flex-wrap items-center gap-2 border-t border-border pt-3">
        <Button type="submit" variant="primary" size="sm" busy={saving}>
          Save features
        </Button>
        <Button size="sm" onClick={() => onClose("cancelled")} disabled={saving}>
          Cancel
        </Button>
        <Button size="sm" variant="ghost" onClick={addFeature} data-add-feature>
          Add feature
        </Button>
      </div>
    </form>
  );
}

/** Which contracts type the inputs: the target version first, then what the service runs. */
function ContractsNote({ contracts }: { contracts: readonly EditorContract[] }) {
  const target = contracts.find((c) => c.target) ?? null;
  if (contracts.length === 0)
    return (
      <span className="font-normal text-fg-muted">
        {" "}
        · no contract applies: choose each feature&apos;s type
      </span>
    );
  return (
    <span className="font-normal text-fg-muted">
      {" "}
      · inputs follow{" "}
      {target ? (
        <>
          the target <span className="font-mono">{target.label}</span>
          {contracts.length > 1 ? " and " : null}
        </>
      ) : null}
      {contracts.length > (target ? 1 : 0) ? (
        <>
          what it runs:{" "}
          <span className="font-mono">
            {contracts
              .filter((c) => !c.target)
              .map((c) => c.label)
              .join(", ")}
          </span>
        </>
      ) : null}
    </span>
  );
}

/**
 * The editor with its contracts loaded: the versions the service runs now (`running`) and, when one is chosen,
 * the version it is moving to (`target`).
 */
export function ServiceFeaturesEditor({
  running,
  target,
  ...props
}: Omit<Parameters<typeof FeaturesEditor>[0], "contracts"> & {
  running: readonly VersionRef[];
  target: VersionRef | null;
}) {
  const { contracts, pending, error, retry } = useEditorContracts(running, target);
  if (pending) return <LoadingState label="Loading the contracts…" />;
  if (error) return <ErrorState error={error} onRetry={retry} />;
  return <FeaturesEditor {...props} contracts={contracts} />;
}
