"use client";
// Gives one service its own model version for a key (the seed's PUT on the service route). The version picker
// shows the version's contract and, before saving, how this service's features fit it. What the service lacks
// can be typed right there (the same typed inputs as every feature editor) and is saved with the override in one
// step (service_updates); a 422 lists the blocking features in the server's words, with a way to fill them in.
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { describeDefinition, FeatureInput } from "@/components/features/feature-input";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input, Select } from "@/components/ui/input";
import { useChangeReason } from "@/components/audit/reason-field";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import type { Assignment, BlockingService, ModelVersion } from "@/lib/browser/api-client/types";
import { checkCompatibility } from "@/lib/features/check-compatibility";
import { parseFeatureInput, type FeatureInputValue } from "@/lib/features/contract-form";
import type { FeatureValue, Features } from "@/lib/features/types";
import { useUpsertAssignment } from "@/lib/browser/queries/assignments";
import { keys } from "@/lib/browser/queries/keys";
import { useModels, useVersions } from "@/lib/browser/queries/registry";
import { ID_REGEX } from "@/lib/schemas/common";
import { MarkdownText } from "@/components/ui/markdown-text";

const ANOTHER_KEY = "__another__";

const overrideSchema = z
  .object({
    keyChoice: z.string().min(1, "Choose an assignment key"),
    newKey: z.string(),
    modelId: z.string().min(1, "Choose a model"),
    version: z.string().min(1, "Choose a version"),
  })
  .superRefine((v, ctx) => {
    if (v.keyChoice === ANOTHER_KEY && !ID_REGEX.test(v.newKey.trim())) {
      ctx.addIssue({
        code: "custom",
        path: ["newKey"],
        message: "Use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit",
      });
    }
  });

type OverrideValues = z.infer<typeof overrideSchema>;

export type OverrideFailure = {
  message: string;
  status: number;
  blocking: BlockingService | null;
  version: ModelVersion | null;
};

export function OverrideForm({
  clientId,
  domainId,
  service,
  knownKeys,
  initialKey,
  current,
  onDone,
  onFixFeatures,
}: {
  clientId: string;
  domainId: string;
  service: { service_id: string; provided_features: Features };
  /** The domain's keys, offered in the key select. */
  knownKeys: string[];
  initialKey: string | null;
  /** The service's own active overrides, by key: kept role/settings/metadata and the If-Match of a change. */
  current: Map<string, Assignment>;
  onDone: (key: string | null) => void;
  /** Opens the features editor with the chosen version's contract. */
  onFixFeatures: (version: ModelVersion) => void;
}) {
  const id = useId();
  const upsert = useUpsertAssignment({ clientId, domainId, serviceId: service.service_id });
  const queryClient = useQueryClient();
  const models = useModels();
  const own = initialKey ? current.get(initialKey) : undefined;
  const { register, handleSubmit, control, setValue, setFocus, formState } =
    useForm<OverrideValues>({
      resolver: zodResolver(overrideSchema),
      defaultValues: {
        keyChoice: initialKey ?? knownKeys[0] ?? ANOTHER_KEY,
        newKey: "",
        modelId: own?.model_id ?? "",
        version: "",
      },
    });
  const [keyChoice, modelId, version] = useWatch({
    control,
    name: ["keyChoice", "modelId", "version"],
  });
  const versions = useVersions(modelId || null);
  const chosenVersion = useMemo(
    () => versions.data?.items.find((v) => v.version === version) ?? null,
    [versions.data, version],
  );
  const fit = useMemo(
    () =>
      chosenVersion
        ? checkCompatibility(service.service_id, service.provided_features, chosenVersion.features)
        : null,
    [chosenVersion, service.provided_features, service.service_id],
  );
  const [failure, setFailure] = useState<OverrideFailure | null>(null);
  const changeReason = useChangeReason(
    `override-reason-${service.service_id}`,
    useReasonRequired(clientId),
  );
  // What the person types for the features the chosen version finds missing or invalid on this service.
  const [fixValues, setFixValues] = useState<Record<string, FeatureInputValue>>({});
  const fixes = useMemo(() => {
    if (!chosenVersion || !fit || fit.compatible) return [];
    const byKey = new Map(chosenVersion.features.map((d) => [d.key, d]));
    return [...fit.missing, ...fit.invalid.map((i) => i.key)].flatMap((key) => {
      const definition = byKey.get(key);
      if (!definition) return [];
      const value = fixValues[key];
      const parsed = value === undefined ? null : parseFeatureInput(definition, value);
      return [{ key, definition, value, parsed }];
    });
  }, [chosenVersion, fit, fixValues]);
  const fixErrors = fixes.filter((f) => f.parsed?.kind === "invalid");

  useEffect(() => {
    setFocus(initialKey ? "modelId" : "keyChoice");
  }, [initialKey, setFocus]);

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    const key = values.keyChoice === ANOTHER_KEY ? values.newKey.trim() : values.keyChoice;
    const existing = current.get(key);
    if (!changeReason.check()) return;
    // Typed fixes that can't be read block the save; readable ones go with the override, in one step.
    if (fixErrors.length > 0) {
      document.getElementById(`${id}-fix-${fixErrors[0]!.key}`)?.focus();
      return;
    }
    const staticFeatures: Record<string, FeatureValue> = {};
    for (const f of fixes) if (f.parsed?.kind === "value") staticFeatures[f.key] = f.parsed.value;
    try {
      await upsert.mutateAsync({
        key,
        // Changing an override keeps what else it carried; the If-Match refuses it if someone changed it meanwhile.
        body: {
          model_id: values.modelId,
          model_version: values.version,
          ...(existing
            ? { role: existing.role, settings: existing.settings, metadata: existing.metadata }
            : {}),
          ...(Object.keys(staticFeatures).length > 0
            ? {
                service_updates: [
                  { service_id: service.service_id, static_features: staticFeatures },
                ],
              }
            : {}),
        },
        ifMatch: existing ? `"${existing.assignment_id}"` : null,
        reason: changeReason.reason,
      });
      toast.success(
        `${service.service_id} now runs ${values.modelId}@${values.version} for “${key}”`,
      );
      onDone(key);
    } catch (error) {
      const apiError = error instanceof ApiClientError ? error : null;
      setFailure({
        message: apiError?.message ?? (error as Error).message,
        status: apiError?.status ?? 0,
        blocking:
          apiError?.blockingServices.find((b) => b.service_id === service.service_id) ??
          apiError?.blockingServices[0] ??
          null,
        version: chosenVersion,
      });
    }
  });

  const saving = upsert.isPending || formState.isSubmitting;
  const errors = formState.errors;

  return (
    <form
      aria-label={`Override for ${service.service_id}`}
      noValidate
      onSubmit={onSubmit}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onDone(null);
        }
      }}
      className="space-y-4 rounded-md border border-accent/40 bg-surface p-4"
    >
      <div>
        <h3 className="text-sm font-semibold">Give {service.service_id} its own model version</h3>
        <p className="text-xs text-fg-muted">
          The override replaces the domain default for this service only, for one key. Esc cancels.
        </p>
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="space-y-1">
          <FormField id={`${id}-key`} label="Assignment key" error={errors.keyChoice?.message}>
            {(field) => (
              <Select {...field} {...register("keyChoice")}>
                {knownKeys.map((k) => (
                  <option key={k} value={k}>
                    {k}
                    {current.has(k) ? " (overridden)" : ""}
                  </option>
                ))}
                <option value={ANOTHER_KEY}>Another key…</option>
              </Select>
            )}
          </FormField>
          {keyChoice === ANOTHER_KEY ? (
            <FormField
              id={`${id}-newkey`}
              label="New key"
              error={errors.newKey?.message}
              className="pt-1"
            >
              {(field) => (
                <Input
                  {...field}
                  className="font-mono"
                  placeholder="e.g. anomaly"
                  {...register("newKey")}
                />
              )}
            </FormField>
          ) : null}
        </div>
        <FormField id={`${id}-model`} label="Model" error={errors.modelId?.message}>
          {(field) => (
            <Select
              {...field}
              {...register("modelId", { onChange: () => setValue("version", "") })}
            >
              <option value="">{models.isPending ? "Loading models…" : "Choose a model"}</option>
              {models.data?.items.map((m) => (
                <option key={m.model_id} value={m.model_id}>
                  {m.name === m.model_id ? m.model_id : `${m.name} (${m.model_id})`}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <FormField
          id={`${id}-version`}
          label="Version"
          error={errors.version?.message}
          describedBy={chosenVersion ? `${id}-contract` : null}
        >
          {(field) => (
            <Select {...field} disabled={!modelId} {...register("version")}>
              <option value="">
                {!modelId
                  ? "Choose a model first"
                  : versions.isPending
                    ? "Loading versions…"
                    : "Choose a version"}
              </option>
              {versions.data?.items.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version}
                  {current.get(keyChoice)?.model_id === modelId &&
                  current.get(keyChoice)?.model_version === v.version
                    ? " (current override)"
                    : ""}
                </option>
              ))}
            </Select>
          )}
        </FormField>
      </div>

      {chosenVersion ? (
        <div id={`${id}-contract`} className="rounded-md border border-border">
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-border px-3 py-2 text-sm">
            <p className="font-medium">
              Contract of{" "}
              <span className="font-mono">
                {chosenVersion.model_id}@{chosenVersion.version}
              </span>
              {chosenVersion.description ? (
                <span className="font-normal text-fg-muted">
                  {" · "}
                  <MarkdownText>{chosenVersion.description}</MarkdownText>
                </span>
              ) : null}
            </p>
            {fit ? (
              fit.compatible ? (
                <Badge tone="ok">This service fits it</Badge>
              ) : (
                <Badge tone="danger">This service does not fit it yet</Badge>
              )
            ) : null}
          </div>
          {chosenVersion.features.length === 0 ? (
            <p className="px-3 py-2 text-sm text-fg-muted">No features: every service fits.</p>
          ) : (
            <ul className="divide-y divide-border text-sm">
              {chosenVersion.features.map((d) => {
                const missing = fit?.missing.includes(d.key);
                const invalid = fit?.invalid.find((i) => i.key === d.key);
                const value = service.provided_features[d.key];
                return (
                  <li
                    key={d.key}
                    className="grid gap-1 px-3 py-1.5 sm:grid-cols-[10rem_1fr_minmax(10rem,auto)]"
                  >
                    <span className="font-mono font-medium">{d.key}</span>
                    <span className="text-fg-muted">
                      {describeDefinition(d)}
                      {d.description ? (
                        <>
                          {" — "}
                          <MarkdownText>{d.description}</MarkdownText>
                        </>
                      ) : null}
                    </span>
                    <span
                      className={missing || invalid ? "font-medium text-danger" : "text-fg-muted"}
                    >
                      {missing
                        ? "Missing on this service"
                        : invalid
                          ? `Invalid here: got ${invalid.got}`
                          : value === undefined || value === null
                            ? "Not provided (optional)"
                            : `Provided: ${typeof value === "string" ? value : JSON.stringify(value)}`}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      ) : null}

      {fixes.length > 0 ? (
        <fieldset className="space-y-2 rounded-md border border-danger/40 px-3 pt-1 pb-3">
          <legend className="px-1 text-sm font-semibold">
            Fill in what {service.service_id} lacks (saved with the override)
          </legend>
          {fixes.map((f) => {
            const inputId = `${id}-fix-${f.key}`;
            const error = f.parsed?.kind === "invalid" ? f.parsed.message : null;
            return (
              <div
                key={f.key}
                className="grid gap-x-3 gap-y-1 sm:grid-cols-[10rem_minmax(0,24rem)] sm:items-start"
              >
                <label htmlFor={inputId} className="pt-1.5 font-mono text-sm font-medium">
                  {f.key}
                </label>
                <div className="space-y-1">
                  <FeatureInput
                    id={inputId}
                    definition={f.definition}
                    value={f.value ?? ""}
                    onChange={(value) => setFixValues((v) => ({ ...v, [f.key]: value }))}
                    invalid={!!error}
                    describedBy={error ? `${inputId}-error` : `${inputId}-hint`}
                  />
                  {error ? (
                    <p id={`${inputId}-error`} role="alert" className="text-xs text-danger">
                      {error}
                    </p>
                  ) : (
                    <p id={`${inputId}-hint`} className="text-xs text-fg-muted">
                      {describeDefinition(f.definition)}
                    </p>
                  )}
                </div>
              </div>
            );
          })}
        </fieldset>
      ) : null}

      {failure ? (
        <div
          role="alert"
          className="space-y-2 rounded-md border border-danger/40 bg-danger-bg px-3 py-2 text-sm"
        >
          <p className="font-medium text-danger">Not saved</p>
          <p>{failure.message}</p>
          {failure.blocking ? (
            <ul className="list-inside list-disc">
              {failure.blocking.missing.map((key) => (
                <li key={`m-${key}`}>
                  <span className="font-mono font-medium">{key}</span>: missing
                </li>
              ))}
              {failure.blocking.invalid.map((i) => (
                <li key={`i-${i.key}`}>
                  <span className="font-mono font-medium">{i.key}</span>: expected {i.expected}, got{" "}
                  <span className="font-mono">{i.got}</span>
                </li>
              ))}
            </ul>
          ) : null}
          {failure.status === 412 ? (
            <Button
              size="sm"
              onClick={() => {
                setFailure(null);
                void queryClient.invalidateQueries({
                  queryKey: keys.assignments.domain(clientId, domainId),
                });
              }}
            >
              Reload the current override, then save again
            </Button>
          ) : null}
          {failure.blocking && failure.version ? (
            <Button size="sm" onClick={() => onFixFeatures(failure.version!)}>
              Fill in the features for {failure.version.model_id}@{failure.version.version}
            </Button>
          ) : null}
        </div>
      ) : null}

      <div className="max-w-xl">{changeReason.field}</div>

      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" size="sm" busy={saving}>
          Save override
        </Button>
        <Button size="sm" onClick={() => onDone(null)} disabled={saving}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
