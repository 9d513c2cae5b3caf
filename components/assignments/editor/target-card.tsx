"use client";
// "What the key runs" / "Change to": the key (on the new-key page), the model, the version and the role, next to
// the version's contract.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { paths } from "@/components/paths";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input, Select } from "@/components/ui/input";
import type { ApiResult } from "@/lib/browser/api-client/api-fetch";
import type { Assignment } from "@/lib/browser/api-client/types";
import { assignmentQuery } from "@/lib/browser/queries/assignments";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { useModels, useVersions } from "@/lib/browser/queries/registry";
import { ModelVersion } from "../model-version";
import { useDebouncedValue } from "../use-debounced-value";
import { VersionContract } from "../version-contract";
import type { EditorFormApi } from "./form";

/** On the "new assignment key" page: the key as typed (trimmed), and whether it is a valid key. */
export type NewKey = { key: string; valid: boolean };

export function TargetCard({
  form,
  scope,
  newKey,
  modelId,
  version,
  base,
  domainName,
}: {
  form: EditorFormApi;
  scope: ScopeKey;
  /** null when the key exists (its editor). */
  newKey: NewKey | null;
  modelId: string;
  version: string;
  base: ApiResult<Assignment> | null;
  domainName: string;
}) {
  const { register, setValue, formState } = form;
  const models = useModels();
  const versions = useVersions(modelId || null);
  const selectedModel = models.data?.items.find((m) => m.model_id === modelId);
  const compareTo = base && base.data.model_id === modelId ? base.data.model_version : null;
  const versionItems = [...(versions.data?.items ?? [])].sort((a, b) =>
    b.created_at.localeCompare(a.created_at),
  );

  return (
    <Card>
      <CardHeader
        id="target-heading"
        title={newKey ? "What the key runs" : "Change to"}
        description="The model version every service of the domain runs for this key, unless it has its own."
      />
      <CardBody>
        <div className="grid gap-6 lg:grid-cols-[minmax(0,18rem)_minmax(0,1fr)]">
          <div className="space-y-4">
            {newKey ? (
              <NewKeyField form={form} scope={scope} newKey={newKey} domainName={domainName} />
            ) : null}
            <FormField
              id="model_id"
              label="Model"
              error={
                formState.errors.model_id?.message ??
                (models.error ? `Could not load models: ${models.error.message}` : null)
              }
            >
              {(field) => (
                <>
                  <Select
                    {...field}
                    {...register("model_id", { onChange: () => setValue("model_version", "") })}
                    // Controlled, so the value shows once the options (loaded after the form) arrive.
                    value={modelId}
                  >
                    <option value="">
                      {models.isPending ? "Loading models…" : "Choose a model…"}
                    </option>
                    {(models.data?.items ?? []).map((m) => (
                      <option key={m.model_id} value={m.model_id}>
                        {m.model_id}
                      </option>
                    ))}
                  </Select>
                  {selectedModel ? (
                    <p className="text-xs text-fg-muted">
                      {selectedModel.name}
                      {selectedModel.description ? `: ${selectedModel.description}` : ""}
                    </p>
                  ) : null}
                </>
              )}
            </FormField>
            <FormField
              id="model_version"
              label="Version"
              error={formState.errors.model_version?.message}
            >
              {(field) => (
                <Select
                  {...field}
                  disabled={!modelId}
                  {...register("model_version")}
                  value={version}
                >
                  <option value="">
                    {!modelId
                      ? "Choose a model first"
                      : versions.isPending
                        ? "Loading versions…"
                        : "Choose a version…"}
                  </option>
                  {versionItems.map((v) => (
                    <option key={v.version} value={v.version}>
                      {v.version}
                      {base &&
                      base.data.model_id === modelId &&
                      base.data.model_version === v.version
                        ? " (running now)"
                        : ""}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
            <FormField
              id="role"
              label={
                <>
                  Role <span className="font-normal text-fg-muted">(optional)</span>
                </>
              }
              error={formState.errors.role?.message}
            >
              {(field) => <Input {...field} autoComplete="off" {...register("role")} />}
            </FormField>
          </div>
          <div className="min-w-0">
            <VersionContract
              modelId={modelId}
              version={version}
              compareTo={compareTo}
              headingId="contract-heading"
            />
            {base && modelId && base.data.model_id !== modelId ? (
              <p className="mt-2 text-sm text-fg-muted">
                A different model than the one running now ({base.data.model_id}); the impact below
                shows which services can run it.
              </p>
            ) : null}
          </div>
        </div>
      </CardBody>
    </Card>
  );
}

/** The key field of the "new" page; it says at once when the key typed already exists. */
function NewKeyField({
  form,
  scope,
  newKey,
  domainName,
}: {
  form: EditorFormApi;
  scope: ScopeKey;
  newKey: NewKey;
  domainName: string;
}) {
  const assignmentKey = newKey.key;
  const debouncedKey = useDebouncedValue(newKey.valid ? assignmentKey : null, 400);
  const existing = useQuery({
    ...assignmentQuery(scope, debouncedKey ?? ""),
    enabled: !!debouncedKey,
  });
  return (
    <div className="space-y-1">
      <FormField
        id="assignment_key"
        label="Assignment key"
        hint="The capability's stable name, like default, eta or anomaly."
        error={form.formState.errors.assignment_key?.message}
      >
        {(field) => (
          <Input
            {...field}
            autoComplete="off"
            placeholder="e.g. eta"
            {...form.register("assignment_key")}
          />
        )}
      </FormField>
      {existing.data ? (
        <Alert tone="warn" title={`${assignmentKey} already exists in ${domainName}`}>
          It runs{" "}
          <ModelVersion
            modelId={existing.data.data.model_id}
            version={existing.data.data.model_version}
          />{" "}
          (revision {existing.data.data.revision}).{" "}
          <Link
            className="text-accent underline"
            href={paths.editor(scope.clientId, scope.domainId, assignmentKey)}
          >
            Open its editor
          </Link>{" "}
          to change it.
        </Alert>
      ) : null}
    </div>
  );
}
