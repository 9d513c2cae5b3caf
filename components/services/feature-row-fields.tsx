"use client";
// One row of the features editor: a feature the service has or a contract mentions (its value, typed by the
// contracts, with Remove), or a new one the person is adding (key, type, value, Discard).
import { Controller, type UseFormReturn } from "react-hook-form";
import { FeatureInput, type FeatureInputProps } from "@/components/features/feature-input";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, Input, Select } from "@/components/ui/input";
import { describeDefinition } from "@/lib/features/contract-form";
import type { FeatureType } from "@/lib/features/types";
import {
  definitionForRow,
  valueForType,
  type FeatureRow,
  type MergedDefinition,
} from "./feature-rows";
import type { FeaturesFormValues } from "./use-features-form";

type FormApi = UseFormReturn<FeaturesFormValues>;

const NEW_TYPES: { type: FeatureType; label: string }[] = [
  { type: "string", label: "Text" },
  { type: "number", label: "Number" },
  { type: "integer", label: "Whole number" },
  { type: "boolean", label: "True / false" },
];

export function FeatureRowFields({
  form,
  index,
  row,
  inputId,
  merged,
  problem,
  onDiscard,
}: {
  form: FormApi;
  index: number;
  row: FeatureRow;
  /** The value input's id; its error and hint ids derive from it. */
  inputId: string;
  merged: Map<string, MergedDefinition>;
  /** What a contract says is wrong with the service's current value. */
  problem: string | undefined;
  onDiscard: () => void;
}) {
  const { register, clearErrors, setValue, formState } = form;
  const errorId = `${inputId}-error`;
  const hintId = `${inputId}-hint`;
  const valueError = formState.errors.rows?.[index]?.value?.message;
  const keyError = formState.errors.rows?.[index]?.key?.message;
  const definition = definitionForRow(row, merged);
  const mergedRow = row.origin === "contract" ? merged.get(row.key) : undefined;
  const conflict = mergedRow?.conflict ?? null;

  if (row.origin === "new") {
    return (
      <div className="grid gap-2 py-2 sm:grid-cols-[minmax(10rem,14rem)_9rem_minmax(10rem,22rem)_auto] sm:items-start">
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
        <TypeSelect form={form} index={index} row={row} label={`New feature ${index + 1}: type`} />
        <div className="space-y-1">
          <RowValueInput
            form={form}
            index={index}
            id={inputId}
            definition={definition}
            ariaLabel={`New feature ${index + 1}: value`}
            invalid={!!valueError}
            describedBy={valueError ? errorId : undefined}
          />
          <FieldError id={errorId} message={valueError} />
        </div>
        <Button size="sm" variant="ghost" className="justify-self-start" onClick={onDiscard}>
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
        {conflict ? <span className="mt-0.5 block font-medium text-warn">{conflict}</span> : null}
        {problem ? <span className="mt-0.5 block font-medium text-warn">{problem}</span> : null}
      </p>
    ) : null;
  return (
    <div className="grid gap-2 py-2 sm:grid-cols-[minmax(10rem,14rem)_minmax(10rem,32rem)_auto] sm:items-start">
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
              {row.origin === "current" ? (
                <TypeSelect form={form} index={index} row={row} label={`Type of ${row.key}`} />
              ) : null}
              <div className="min-w-0 flex-1">
                <RowValueInput
                  form={form}
                  index={index}
                  id={inputId}
                  definition={definition}
                  invalid={!!valueError}
                  describedBy={
                    [valueError ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") ||
                    undefined
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
}

/** The type of a free-form feature; changing it converts the value and marks the row touched. */
function TypeSelect({
  form,
  index,
  row,
  label,
}: {
  form: FormApi;
  index: number;
  row: FeatureRow;
  label: string;
}) {
  const { register, clearErrors, setValue } = form;
  return (
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
}

/** A row's value, typed by its definition; typing marks the row touched and clears its error (it was about the old value). */
function RowValueInput({
  form,
  index,
  ...input
}: {
  form: FormApi;
  index: number;
} & Pick<FeatureInputProps, "id" | "definition" | "ariaLabel" | "invalid" | "describedBy">) {
  return (
    <Controller
      control={form.control}
      name={`rows.${index}.value`}
      render={({ field }) => (
        <FeatureInput
          {...input}
          ref={field.ref}
          value={field.value}
          onChange={(v) => {
            form.clearErrors(`rows.${index}.value`);
            form.setValue(`rows.${index}.touched`, true);
            field.onChange(v);
          }}
          onBlur={field.onBlur}
        />
      )}
    />
  );
}
