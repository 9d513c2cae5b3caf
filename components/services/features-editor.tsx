"use client";
// The inline editor of one service's provided features (in a table row or on the service page): one typed
// input per feature, typed by the contracts that apply (the versions the service runs now and, when chosen, the
// version it is moving to); a feature no contract mentions is free-form, its type chosen explicitly. Unreadable
// input blocks Save with a message next to the field; only Remove deletes a key. Enter saves with a PATCH, Esc
// cancels. The server's refusal is shown next to the inputs, in its own words.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import {
  Controller,
  useFieldArray,
  useForm,
  useWatch,
  type Control,
  type UseFormClearErrors,
  type UseFormSetValue,
} from "react-hook-form";
import { toast } from "sonner";
import {
  describeDefinition,
  FeatureInput,
  type FeatureInputProps,
} from "@/components/features/feature-input";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, Input, Select } from "@/components/ui/input";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import { checkCompatibility } from "@/lib/features/check-compatibility";
import type { FeatureType, Features } from "@/lib/features/types";
import { usePatchService } from "@/lib/browser/queries/services";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { useChangeReason } from "@/components/audit/reason-field";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { useEditorContracts, type VersionRef } from "./use-editor-contracts";
import {
  buildFeatureRows,
  definitionForRow,
  mergeContracts,
  planFeaturePatch,
  valueForType,
  type EditorContract,
  type FeatureRow,
} from "./feature-rows";

export type { EditorContract };

type FormValues = { rows: FeatureRow[] };

const NEW_TYPES: { type: FeatureType; label: string }[] = [
  { type: "string", label: "Text" },
  { type: "number", label: "Number" },
  { type: "integer", label: "Whole number" },
  { type: "boolean", label: "True / false" },
];

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
  const formRef = useRef<HTMLFormElement>(null);
  // By content, so a parent's new (equal) array doesn't rebuild the rows under the person's cursor.
  const contractsSignature = JSON.stringify(contracts);
  const merged = useMemo(
    () => mergeContracts(JSON.parse(contractsSignature) as EditorContract[]),
    [contractsSignature],
  );
  const target = contracts.find((c) => c.target) ?? null;
  const initialRows = useMemo(
    () => buildFeatureRows(service.provided_features, merged),
    [service.provided_features, merged],
  );
  // What the service lacks for each contract, so those inputs say so before anyone presses Save.
  const problems = useMemo(() => {
    const found = new Map<string, string>();
    for (const contract of JSON.parse(contractsSignature) as EditorContract[]) {
      const result = checkCompatibility(
        service.service_id,
        service.provided_features,
        contract.features,
      );
      for (const key of result.missing)
        if (!found.has(key)) found.set(key, `Missing: ${contract.label} requires it`);
      for (const i of result.invalid)
        if (!found.has(i.key))
          found.set(
            i.key,
            `Current value ${i.got} is not ${i.expected} (${contract.label}); saving replaces it`,
          );
    }
    return found;
  }, [contractsSignature, service.provided_features, service.service_id]);

  const { control, register, handleSubmit, setError, clearErrors, setValue, setFocus, formState } =
    useForm<FormValues>({
      defaultValues: { rows: initialRows },
    });
  const { fields, append, remove } = useFieldArray({ control, name: "rows" });
  const rows = useWatch({ control, name: "rows" }) ?? initialRows;
  const [serverError, setServerError] = useState<string | null>(null);
  const patchService = usePatchService(clientId, domainId);
  const changeReason = useChangeReason(
    `features-reason-${service.service_id}`,
    useReasonRequired(clientId),
  );

  // Start where the work is: the first feature the chosen version says is wrong, else the first input.
  useEffect(() => {
    const first = initialRows.findIndex((r) => problems.has(r.key));
    if (initialRows.length > 0) setFocus(`rows.${Math.max(first, 0)}.value`);
    else formRef.current?.querySelector<HTMLButtonElement>("[data-add-feature]")?.focus();
  }, [initialRows, problems, setFocus]);

  const rowIndexForKey = (key: string) =>
    rows.findIndex((r) => (r.origin === "new" ? r.key.trim() : r.key) === key);

  const onSubmit = handleSubmit(async (values) => {
    clearErrors();
    setServerError(null);
    const { patch, errors } = planFeaturePatch(values.rows, service.provided_features, merged);
    if (errors.size > 0) {
      let first: string | null = null;
      for (const [index, error] of [...errors].sort(([a], [b]) => a - b)) {
        if (error.key) setError(`rows.${index}.key`, { type: "validate", message: error.key });
        if (error.value)
          setError(`rows.${index}.value`, { type: "validate", message: error.value });
        first ??= error.key ? `rows.${index}.key` : `rows.${index}.value`;
      }
      if (first) setFocus(first as `rows.${number}.value`);
      return;
    }
    if (Object.keys(patch).length === 0) {
      toast.info(`No changes to save for ${service.service_id}`);
      onClose("cancelled");
      return;
    }
    if (!changeReason.check()) return;
    try {
      await patchService.mutateAsync({
        serviceId: service.service_id,
        patch: { provided_features: patch },
        reason: changeReason.reason,
      });
      toast.success(`Saved the features of ${service.service_id}`);
      onClose("saved");
    } catch (error) {
      const apiError = error instanceof ApiClientError ? error : null;
      setServerError(apiError?.message ?? (error as Error).message);
      // Mark the inputs the server named, so the fix is next to the message.
      for (const blocking of apiError?.blockingServices ?? []) {
        for (const key of blocking.missing) {
          const index = rowIndexForKey(key);
          if (index >= 0)
            setError(`rows.${index}.value`, {
              type: "server",
              message: `${key}: missing (an assigned model version requires it)`,
            });
        }
        for (const invalid of blocking.invalid) {
          const index = rowIndexForKey(invalid.key);
          if (index >= 0)
            setError(`rows.${index}.value`, {
              type: "server",
              message: `${invalid.key}: expected ${invalid.expected}, got ${invalid.got}`,
            });
        }
      }
      for (const issue of apiError?.issues ?? []) {
        const key = issue.path.replace(/^provided_features\./, "");
        const index = rowIndexForKey(key);
        if (index >= 0) setError(`rows.${index}.value`, { type: "server", message: issue.message });
      }
    }
  });

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onClose("cancelled");
      return;
    }
    // Text fields submit on Enter by themselves; make selects and switches do the same.
    const target = event.target as HTMLElement;
    const isSwitch = target instanceof HTMLInputElement && target.type === "checkbox";
    if (event.key === "Enter" && (target instanceof HTMLSelectElement || isSwitch)) {
      event.preventDefault();
      formRef.current?.requestSubmit();
    }
  };

  const addFeature = () =>
    append(
      { key: "", type: "string", origin: "new", removed: false, touched: false, value: "" },
      { focusName: `rows.${fields.length}.key` },
    );

  const saving = patchService.isPending || formState.isSubmitting;

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
          {contracts.length > 0 ? (
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
          ) : (
            <span className="font-normal text-fg-muted">
              {" "}
              · no contract applies: choose each feature&apos;s type
            </span>
          )}
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
          const inputId = `${baseId}-${index}`;
          const errorId = `${inputId}-error`;
          const hintId = `${inputId}-hint`;
          const valueError = formState.errors.rows?.[index]?.value?.message;
          const keyError = formState.errors.rows?.[index]?.key?.message;
          const definition = definitionForRow(row, merged);
          const mergedRow = row.origin === "contract" ? merged.get(row.key) : undefined;
          const problem = problems.get(row.key);
          const conflict = mergedRow?.conflict ?? null;
          const typeSelect = (label: string) => (
            <Select
              aria-label={label}
              className="w-auto"
              {...register(`rows.${index}.type`, {
                onChange: (event: { target: { value: string } }) => {
                  const type = event.target.value as FeatureType;
                  clearErrors(`rows.${index}.value`);
                  setValue(`rows.${index}.touched`, true);
                  setValue(`rows.${index}.value`, valueForType(type, row.value));
                },
              })}
            >
              {NEW_TYPES.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </Select>
          );
          if (row.origin === "new") {
            return (
              <div
                key={field.id}
                className="grid gap-2 py-2 sm:grid-cols-[minmax(10rem,14rem)_9rem_minmax(10rem,22rem)_auto] sm:items-start"
              >
                <div>
                  <Input
                    aria-label={`New feature ${index + 1}: key`}
                    placeholder="key"
                    className="font-mono"
                    aria-invalid={keyError ? true : undefined}
                    aria-describedby={keyError ? `${inputId}-key-error` : undefined}
                    {...register(`rows.${index}.key`, {
                      onChange: () => clearErrors(`rows.${index}.key`),
                    })}
                  />
                  <FieldError id={`${inputId}-key-error`} message={keyError} />
                </div>
                {typeSelect(`New feature ${index + 1}: type`)}
                <div className="space-y-1">
                  <RowValueInput
                    control={control}
                    clearErrors={clearErrors}
                    setValue={setValue}
                    index={index}
                    id={inputId}
                    definition={definition}
                    ariaLabel={`New feature ${index + 1}: value`}
                    invalid={!!valueError}
                    describedBy={valueError ? errorId : undefined}
                  />
                  <FieldError id={errorId} message={valueError} />
                </div>
                <Button
                  size="sm"
                  variant="ghost"
                  className="justify-self-start"
                  onClick={() => remove(index)}
                >
                  Discard<span className="sr-only"> new feature {index + 1}</span>
                </Button>
              </div>
            );
          }
          const hint =
            row.origin === "contract" || problem || conflict ? (
              <p id={hintId} className="text-xs text-fg-muted">
                {mergedRow ? (
                  <>
                    {describeDefinition(definition)}
                    {mergedRow.sources.length > 0 ? ` · ${mergedRow.sources.join(", ")}` : null}
                  </>
                ) : null}
                {definition.description ? ` — ${definition.description}` : null}
                {conflict ? (
                  <span className="mt-0.5 block font-medium text-warn">{conflict}</span>
                ) : null}
                {problem ? (
                  <span className="mt-0.5 block font-medium text-warn">{problem}</span>
                ) : null}
              </p>
            ) : null;
          return (
            <div
              key={field.id}
              className="grid gap-2 py-2 sm:grid-cols-[minmax(10rem,14rem)_minmax(10rem,32rem)_auto] sm:items-start"
            >
              <div className="pt-1.5">
                <label
                  htmlFor={inputId}
                  className={cn(
                    "font-mono text-sm font-medium",
                    row.removed && "text-fg-muted line-through",
                  )}
                >
                  {row.key}
                </label>
                <p className="text-xs text-fg-muted">
                  {row.origin === "contract"
                    ? definition.required
                      ? "in contract · required"
                      : "in contract"
                    : "in no contract"}
                </p>
              </div>
              <div className="space-y-1">
                {row.removed ? (
                  <p className="pt-1.5 text-sm text-fg-muted" id={hintId}>
                    Will be removed when you save.
                  </p>
                ) : (
                  <>
                    <div className="flex flex-wrap items-start gap-2">
                      {row.origin === "current" ? typeSelect(`Type of ${row.key}`) : null}
                      <div className="min-w-0 flex-1">
                        <RowValueInput
                          control={control}
                          clearErrors={clearErrors}
                          setValue={setValue}
                          index={index}
                          id={inputId}
                          definition={definition}
                          invalid={!!valueError}
                          describedBy={
                            [valueError ? errorId : null, hint ? hintId : null]
                              .filter(Boolean)
                              .join(" ") || undefined
                          }
                        />
                      </div>
                    </div>
                    {hint}
                  </>
                )}
                <FieldError id={errorId} message={valueError} />
              </div>
              <Button
                size="sm"
                variant="ghost"
                className="justify-self-start"
                onClick={() => {
                  clearErrors(`rows.${index}.value`);
                  setValue(`rows.${index}.removed`, !row.removed);
                }}
              >
                {row.removed ? "Undo remove" : "Remove"}
                <span className="sr-only"> {row.key}</span>
              </Button>
            </div>
          );
        })}
      </div>

      <div className="max-w-xl">{changeReason.field}</div>

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

/** A row's value, typed by its definition; typing marks the row touched and clears its error (it was about the old value). */
function RowValueInput({
  control,
  clearErrors,
  setValue,
  index,
  ...input
}: {
  control: Control<FormValues>;
  clearErrors: UseFormClearErrors<FormValues>;
  setValue: UseFormSetValue<FormValues>;
  index: number;
} & Pick<FeatureInputProps, "id" | "definition" | "ariaLabel" | "invalid" | "describedBy">) {
  return (
    <Controller
      control={control}
      name={`rows.${index}.value`}
      render={({ field }) => (
        <FeatureInput
          {...input}
          ref={field.ref}
          value={field.value}
          onChange={(v) => {
            clearErrors(`rows.${index}.value`);
            setValue(`rows.${index}.touched`, true);
            field.onChange(v);
          }}
          onBlur={field.onBlur}
        />
      )}
    />
  );
}
