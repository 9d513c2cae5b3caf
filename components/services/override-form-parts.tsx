"use client";
// The override form's blocks below the pickers: the chosen version's contract with how this service fits it,
// the inputs for what the service lacks, and why the last save failed.
import { FeatureInput } from "@/components/features/feature-input";
import { describeDefinition } from "@/lib/features/contract-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { MarkdownText } from "@/components/ui/markdown-text";
import type { ModelVersion } from "@/lib/browser/api-client/types";
import type { FeatureInputValue } from "@/lib/features/contract-form";
import type { CompatibilityResult, Features } from "@/lib/features/types";
import type { FeatureFix, OverrideFailure } from "./use-override-form";

/** The version's features, each with what this service provides for it (or why it does not fit). */
export function ContractFit({
  id,
  version,
  fit,
  provided,
}: {
  id: string;
  version: ModelVersion;
  fit: CompatibilityResult | null;
  provided: Features;
}) {
  return (
    <div id={id} className="rounded-md border border-border">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-border px-3 py-2 text-sm">
        <p className="font-medium">
          Contract of{" "}
          <span className="font-mono">
            {version.model_id}@{version.version}
          </span>
          {version.description ? (
            <span className="font-normal text-fg-muted">
              {" · "}
              <MarkdownText>{version.description}</MarkdownText>
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
      {version.features.length === 0 ? (
        <p className="px-3 py-2 text-sm text-fg-muted">No features: every service fits.</p>
      ) : (
        <ul className="divide-y divide-border text-sm">
          {version.features.map((d) => {
            const missing = fit?.missing.includes(d.key);
            const invalid = fit?.invalid.find((i) => i.key === d.key);
            const value = provided[d.key];
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
                <span className={missing || invalid ? "font-medium text-danger" : "text-fg-muted"}>
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
  );
}

/** One typed input per feature the service lacks; the input of key `k` has the id `${idPrefix}-${k}`. */
export function FeatureFixes({
  idPrefix,
  serviceId,
  fixes,
  onChange,
}: {
  idPrefix: string;
  serviceId: string;
  fixes: FeatureFix[];
  onChange: (key: string, value: FeatureInputValue) => void;
}) {
  return (
    <fieldset className="space-y-2 rounded-md border border-danger/40 px-3 pt-1 pb-3">
      <legend className="px-1 text-sm font-semibold">
        Fill in what {serviceId} lacks (saved with the override)
      </legend>
      {fixes.map((f) => {
        const inputId = `${idPrefix}-${f.key}`;
        const error = f.error;
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
                onChange={(value) => onChange(f.key, value)}
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
  );
}

/** "Not saved", in the server's words, with the blocking features and the way on (reload, or fill them in). */
export function OverrideFailureNotice({
  failure,
  onReload,
  onFixFeatures,
}: {
  failure: OverrideFailure;
  onReload: () => void;
  onFixFeatures: (version: ModelVersion) => void;
}) {
  return (
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
        <Button size="sm" onClick={onReload}>
          Reload the current override, then save again
        </Button>
      ) : null}
      {failure.blocking && failure.version ? (
        <Button size="sm" onClick={() => onFixFeatures(failure.version!)}>
          Fill in the features for {failure.version.model_id}@{failure.version.version}
        </Button>
      ) : null}
    </div>
  );
}
