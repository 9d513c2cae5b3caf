"use client";
// "Register version": a version id, a description and the feature contract, edited as rows of typed inputs.
// The server checks the definitions (duplicate keys, defaults of the wrong type, enums without values); its
// 422 problems are shown on the rows they name, in its words.
import { useChangeReason } from "@/components/audit/reason-field";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useFieldArray, useForm } from "react-hook-form";
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
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import type { ModelVersion } from "@/lib/browser/api-client/types";
import { useCreateVersion } from "@/lib/browser/queries/registry-writes";
import {
  emptyFeatureRow,
  rowOfProblem,
  toFeatureDefinition,
  toFeatureRow,
  versionFormSchema,
  type VersionFormValues,
} from "./contract-editor-form";
import { COLUMNS, FeatureRowEditor } from "./feature-row-editor";

/** A 422 about the features: the server's message, its problems by editor row, and those that name no row. */
type ServerRefusal = { message: string; byRow: Map<number, string[]>; unmatched: string[] };

/** The form, its rows and the save: a refusal of the features goes on the rows, other failures on the fields. */
function useRegisterVersion(modelId: string) {
  const router = useRouter();
  const createVersion = useCreateVersion(modelId);
  const [failure, setFailure] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ServerRefusal | null>(null);
  const form = useForm<VersionFormValues>({
    resolver: zodResolver(versionFormSchema),
    defaultValues: { version: "", description: "", features: [emptyFeatureRow()] },
  });
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

  return {
    form,
    rows,
    failure,
    refusal,
    /** The rows changed: the refusal no longer says where its problems are. */
    forgetRefusal: () => setRefusal(null),
    changeReason,
    onSubmit,
  };
}

export function RegisterVersionForm({
  modelId,
  versions,
  onCancel,
}: {
  modelId: string;
  versions: ModelVersion[];
  onCancel: () => void;
}) {
  const { form, rows, failure, refusal, forgetRefusal, changeReason, onSubmit } =
    useRegisterVersion(modelId);
  const { errors, isSubmitting } = form.formState;

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
                <StartFromContract
                  versions={versions}
                  onCopy={(source) => {
                    rows.replace(source.features.map(toFeatureRow));
                    forgetRefusal();
                  }}
                />
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
                        forgetRefusal();
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

          {refusal ? <RefusalNotice refusal={refusal} /> : null}
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

/** "Start from the contract of" a registered version (the latest by default), and the button that copies it. */
function StartFromContract({
  versions,
  onCopy,
}: {
  versions: ModelVersion[];
  onCopy: (source: ModelVersion) => void;
}) {
  const [startFrom, setStartFrom] = useState(versions.at(-1)?.version ?? "");
  const copyContract = () => {
    const source = versions.find((v) => v.version === startFrom);
    if (source) onCopy(source);
  };
  return (
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
  );
}

function RefusalNotice({ refusal }: { refusal: ServerRefusal }) {
  const problemCount =
    refusal.unmatched.length + [...refusal.byRow.values()].reduce((n, list) => n + list.length, 0);
  return (
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
  );
}
