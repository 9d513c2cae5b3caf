"use client";
// "Register version": a version id, a description and the feature contract, edited as rows of typed inputs.
// The server checks the definitions (duplicate keys, defaults of the wrong type, enums without values); its
// 422 problems are shown on the rows they name, in its words.
import { useChangeReason } from "@/components/audit/reason-field";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  useFieldArray,
  useForm,
  useWatch,
  type Control,
  type UseFormRegister,
  type UseFormSetValue,
  type FieldErrors,
} from "react-hook-form";
import { toast } from "sonner";
import { paths } from "@/components/paths";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { FormActions } from "@/components/ui/form-actions";
import { FormField } from "@/components/ui/form-field";
import { FieldError, IdInput, Input, Label, Select } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";
import { applyServerError } from "@/components/ui/server-errors";
import { Switch } from "@/components/ui/switch";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import type { ModelVersion } from "@/lib/browser/api-client/types";
import { FEATURE_TYPES } from "@/lib/features/types";
import { useCreateVersion } from "@/lib/browser/queries/registry-writes";
import {
  emptyFeatureRow,
  rowOfProblem,
  splitAllowedValues,
  toFeatureDefinition,
  toFeatureRow,
  versionFormSchema,
  type VersionFormValues,
} from "./contract-editor-form";

type ServerRefusal = { message: string; byRow: Map<number, string[]>; unmatched: string[] };

// The contract table's columns; the last one holds each row's Remove.
const COLUMNS = [
  "#",
  "Key",
  "Type",
  "Required",
  "Default",
  "Allowed values",
  "Description",
  "Actions",
];

export function RegisterVersionForm({
  modelId,
  versions,
  onCancel,
}: {
  modelId: string;
  versions: ModelVersion[];
  onCancel: () => void;
}) {
  const router = useRouter();
  const createVersion = useCreateVersion(modelId);
  const [failure, setFailure] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ServerRefusal | null>(null);
  const [startFrom, setStartFrom] = useState(versions.at(-1)?.version ?? "");
  const form = useForm<VersionFormValues>({
    resolver: zodResolver(versionFormSchema),
    defaultValues: { version: "", description: "", features: [emptyFeatureRow()] },
  });
  const { errors, isSubmitting } = form.formState;
  const rows = useFieldArray({ control: form.control, name: "features" });

  const changeReason = useChangeReason("version-reason");
  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    setRefusal(null);
    if (!changeReason.check()) return;
    try {
      const created = await createVersion.mutateAsync({
        reason: changeReason.reason,
        version: values.version,
        ...(values.description ? { description: values.description } : {}),
        features: values.features.map(toFeatureDefinition),
      });
      toast.success(`Registered ${modelId} ${created.version}`);
      router.push(paths.modelVersion(modelId, created.version));
    } catch (error) {
      if (
        error instanceof ApiClientError &&
        error.status === 422 &&
        error.issues.some((i) => i.path === "features")
      ) {
        const byRow = new Map<number, string[]>();
        const unmatched: string[] = [];
        for (const issue of error.issues) {
          const row = rowOfProblem(issue.message, values.features);
          if (row === null) unmatched.push(issue.message);
          else byRow.set(row, [...(byRow.get(row) ?? []), issue.message]);
        }
        setRefusal({ message: error.message, byRow, unmatched });
        return;
      }
      setFailure(
        applyServerError(error, form.setError, {
          fields: ["version", "description", "features"],
          conflictField: "version",
          rename: (path) => path.replace(/\.allowed_values(\.\d+)?$/, ".allowed"),
        }),
      );
    }
  });

  const copyContract = () => {
    const source = versions.find((v) => v.version === startFrom);
    if (!source) return;
    rows.replace(source.features.map(toFeatureRow));
    setRefusal(null);
  };

  const problemCount = refusal
    ? refusal.unmatched.length + [...refusal.byRow.values()].reduce((n, list) => n + list.length, 0)
    : 0;

  return (
    <Card>
      <CardHeader
        id="register-version-heading"
        title="Register a version"
        description="The contract is frozen once registered: to change it later, register another version."
      />
      <CardBody>
        <form
          onSubmit={onSubmit}
          noValidate
          aria-labelledby="register-version-heading"
          className="space-y-5"
        >
          <div className="grid gap-4 sm:grid-cols-[16rem_1fr]">
            <FormField id="version-id" label="Version" error={errors.version?.message}>
              {(field) => (
                <IdInput {...field} autoFocus placeholder="3.0.0" {...form.register("version")} />
              )}
            </FormField>
            <FormField
              id="version-description"
              label="Description (optional)"
              error={errors.description?.message}
            >
              {(field) => (
                <Input
                  {...field}
                  autoComplete="off"
                  placeholder="What changed, and why"
                  {...form.register("description")}
                />
              )}
            </FormField>
          </div>

          <fieldset className="space-y-3">
            <div className="flex flex-wrap items-end justify-between gap-3">
              <legend className="text-sm font-medium">
                Feature contract{" "}
                <span className="font-normal text-fg-muted">
                  ({rows.fields.length} {rows.fields.length === 1 ? "feature" : "features"})
                </span>
              </legend>
              {versions.length > 0 ? (
                <div className="flex items-end gap-2">
                  <div className="space-y-1">
                    <Label htmlFor="start-from" className="text-xs text-fg-muted">
                      Start from the contract of
                    </Label>
                    <div className="w-36">
                      <Select
                        id="start-from"
                        value={startFrom}
                        onChange={(e) => setStartFrom(e.target.value)}
                        className="h-8 font-mono"
                      >
                        {[...versions].reverse().map((v) => (
                          <option key={v.version} value={v.version}>
                            {v.version}
                          </option>
                        ))}
                      </Select>
                    </div>
                  </div>
                  <Button size="sm" onClick={copyContract}>
                    Copy its features
                  </Button>
                </div>
              ) : null}
            </div>
            <p className="text-xs text-fg-muted">
              A required feature without a default must be provided by every service that runs this
              version. Enum values are comma-separated.
            </p>

            {rows.fields.length === 0 ? (
              <p className="rounded-md border border-dashed border-border p-4 text-center text-sm text-fg-muted">
                No features: any service is compatible with this version.
              </p>
            ) : (
              <div className="overflow-x-auto rounded-md border border-border">
                <table className="w-full border-collapse text-sm">
                  <thead className="bg-muted/60">
                    <tr className="text-left text-xs text-fg-muted">
                      {COLUMNS.map((column) => (
                        <th
                          key={column}
                          scope="col"
                          className={cn("px-2 py-2 font-medium", column === "#" && "w-8")}
                        >
                          {column === "Actions" ? <span className="sr-only">Actions</span> : column}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  {rows.fields.map((field, index) => (
                    <FeatureRowEditor
                      key={field.id}
                      index={index}
                      control={form.control}
                      register={form.register}
                      setValue={form.setValue}
                      errors={errors}
                      serverProblems={refusal?.byRow.get(index) ?? []}
                      onRemove={() => {
                        rows.remove(index);
                        setRefusal(null);
                      }}
                    />
                  ))}
                </table>
              </div>
            )}
            <Button
              size="sm"
              onClick={() =>
                rows.append(emptyFeatureRow(), {
                  shouldFocus: true,
                  focusName: `features.${rows.fields.length}.key`,
                })
              }
            >
              Add feature
            </Button>
            <FieldError
              id="features-error"
              message={errors.features?.message ?? errors.features?.root?.message}
            />
          </fieldset>

          {refusal ? (
            <Notice tone="danger" role="alert" title="The server refused these feature definitions">
              <p>
                {problemCount === 1 ? "1 problem" : `${problemCount} problems`}
                {refusal.byRow.size > 0 ? ", shown on the features they concern" : ""}. Nothing was
                registered.
              </p>
              {refusal.unmatched.length > 0 ? (
                <ul className="mt-1 list-disc pl-5">
                  {refusal.unmatched.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              ) : null}
            </Notice>
          ) : null}
          <div className="max-w-xl">{changeReason.field}</div>
          <FormActions
            failure={failure}
            failureTitle="The version was not registered"
            submitLabel="Register version"
            busy={isSubmitting}
            onCancel={onCancel}
            className="border-t border-border pt-4"
          />
        </form>
      </CardBody>
    </Card>
  );
}

function FeatureRowEditor({
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
  const defaultValue = row?.default ?? "";
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
          {defaultChoices ? (
            <Select
              aria-label={`Feature ${n} default`}
              className="min-w-28"
              aria-describedby={describedBy}
              {...register(`features.${index}.default`)}
            >
              <option value="">No default</option>
              {defaultChoices.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
              {defaultValue && !defaultChoices.includes(defaultValue) ? (
                <option value={defaultValue}>{defaultValue} (not allowed)</option>
              ) : null}
            </Select>
          ) : (
            <Input
              aria-label={`Feature ${n} default`}
              type={row?.type === "number" || row?.type === "integer" ? "number" : "text"}
              step={row?.type === "integer" ? 1 : "any"}
              placeholder="No default"
              className="min-w-28"
              aria-invalid={!!rowErrors?.default || undefined}
              aria-describedby={describedBy}
              {...register(`features.${index}.default`)}
            />
          )}
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
