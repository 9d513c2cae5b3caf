"use client";
// One feature of the "Register version" contract table: key, type, required, default (picked from the values of
// a boolean or an enum, typed otherwise), allowed values, description, and the problems found with it.
import {
  useWatch,
  type Control,
  type FieldErrors,
  type UseFormRegister,
  type UseFormRegisterReturn,
  type UseFormSetValue,
} from "react-hook-form";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { IdInput, Input, Select } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { FEATURE_TYPES, type FeatureType } from "@/lib/features/types";
import { splitAllowedValues, type VersionFormValues } from "./contract-editor-form";

// The contract table's columns; the last one holds each row's Remove.
export const COLUMNS = [
  "#",
  "Key",
  "Type",
  "Required",
  "Default",
  "Allowed values",
  "Description",
  "Actions",
];

export function FeatureRowEditor({
  index,
  control,
  register,
  setValue,
  errors,
  serverProblems,
  onRemove,
}: {
  index: number;
  control: Control<VersionFormValues>;
  register: UseFormRegister<VersionFormValues>;
  setValue: UseFormSetValue<VersionFormValues>;
  errors: FieldErrors<VersionFormValues>;
  serverProblems: string[];
  onRemove: () => void;
}) {
  const n = index + 1;
  const row = useWatch({ control, name: `features.${index}` });
  const rowErrors = errors.features?.[index];
  const clientProblems = [
    rowErrors?.key?.message,
    rowErrors?.type?.message,
    rowErrors?.default?.message,
    rowErrors?.allowed?.message,
    rowErrors?.description?.message,
  ].filter((m): m is string => !!m);
  const problems = [...clientProblems, ...serverProblems];
  const problemsId = `feature-${index}-problems`;
  const invalid = problems.length > 0;
  const typeField = register(`features.${index}.type`);
  // A boolean's or an enum's default is picked from its values; the other types' is typed.
  const defaultChoices =
    row?.type === "boolean"
      ? ["true", "false"]
      : row?.type === "enum"
        ? splitAllowedValues(row.allowed ?? "")
        : null;
  const describedBy = invalid ? problemsId : undefined;

  return (
    <tbody className={cn("border-t border-border", invalid && "bg-danger-bg/60")}>
      <tr className="align-top">
        <td className="px-2 py-2 pt-4 text-xs text-fg-muted tabular-nums">{n}</td>
        <td className="px-2 py-2">
          <IdInput
            aria-label={`Feature ${n} key`}
            placeholder="route"
            className="min-w-32"
            aria-invalid={!!rowErrors?.key || serverProblems.length > 0 || undefined}
            aria-describedby={describedBy}
            {...register(`features.${index}.key`)}
          />
        </td>
        <td className="px-2 py-2">
          <Select
            aria-label={`Feature ${n} type`}
            className="min-w-28"
            {...typeField}
            onChange={(e) => {
              void typeField.onChange(e);
              // A default typed for another type means nothing for this one.
              setValue(`features.${index}.default`, "");
            }}
          >
            {FEATURE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </td>
        <td className="px-2 py-2 pt-4">
          <Switch
            aria-label={`Feature ${n} required`}
            {...register(`features.${index}.required`)}
          />
        </td>
        <td className="px-2 py-2">
          <DefaultInput
            n={n}
            type={row?.type}
            choices={defaultChoices}
            value={row?.default ?? ""}
            invalid={!!rowErrors?.default}
            describedBy={describedBy}
            field={register(`features.${index}.default`)}
          />
        </td>
        <td className="px-2 py-2">
          {row?.type === "enum" ? (
            <Input
              aria-label={`Feature ${n} allowed values`}
              autoComplete="off"
              placeholder="bus, tram, train"
              className="min-w-40"
              aria-describedby={describedBy}
              {...register(`features.${index}.allowed`)}
            />
          ) : (
            <p className="pt-2 text-xs text-fg-muted">Only for enum</p>
          )}
        </td>
        <td className="px-2 py-2">
          <Input
            aria-label={`Feature ${n} description`}
            autoComplete="off"
            className="min-w-48"
            placeholder="What the feature means"
            {...register(`features.${index}.description`)}
          />
        </td>
        <td className="px-2 py-2">
          <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove feature ${n}`}>
            Remove
          </Button>
        </td>
      </tr>
      {invalid ? (
        <tr>
          <td />
          <td colSpan={7} className="px-2 pb-3">
            <ul id={problemsId} className="space-y-0.5 text-sm text-danger">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** A row's default: a select of the allowed values (boolean, enum), else a typed input. */
function DefaultInput({
  n,
  type,
  choices,
  value,
  invalid,
  describedBy,
  field,
}: {
  n: number;
  type: FeatureType | undefined;
  /** The values a default may take, or null when it is typed. */
  choices: string[] | null;
  value: string;
  invalid: boolean;
  describedBy: string | undefined;
  field: UseFormRegisterReturn;
}) {
  if (choices)
    return (
      <Select
        aria-label={`Feature ${n} default`}
        className="min-w-28"
        aria-describedby={describedBy}
        {...field}
      >
        <option value="">No default</option>
        {choices.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
        {value && !choices.includes(value) ? (
          <option value={value}>{value} (not allowed)</option>
        ) : null}
      </Select>
    );
  return (
    <Input
      aria-label={`Feature ${n} default`}
      type={type === "number" || type === "integer" ? "number" : "text"}
      step={type === "integer" ? 1 : "any"}
      placeholder="No default"
      className="min-w-28"
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      {...field}
    />
  );
}
