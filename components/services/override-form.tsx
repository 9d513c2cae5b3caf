"use client";
// Gives one service its own model version for a key (the seed's PUT on the service route). The version picker
// shows the version's contract and, before saving, how this service's features fit it. What the service lacks
// can be typed right there (the same typed inputs as every feature editor) and is saved with the override in one
// step (service_updates); a 422 lists the blocking features in the server's words, with a way to fill them in.
// Where the domain requires approvals, the save becomes "Request review": it opens a change request instead.
import { ReviewRequestCard } from "@/components/assignments/editor/review-request-card";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input, Select } from "@/components/ui/input";
import type { ModelVersion } from "@/lib/browser/api-client/types";
import { ContractFit, FeatureFixes, OverrideFailureNotice } from "./override-form-parts";
import { ANOTHER_KEY, useOverrideForm, type OverrideFormOptions } from "./use-override-form";

export function OverrideForm({
  onFixFeatures,
  ...options
}: OverrideFormOptions & {
  /** Opens the features editor with the chosen version's contract. */
  onFixFeatures: (version: ModelVersion) => void;
}) {
  const { service, knownKeys, current, onDone } = options;
  const {
    id,
    form: { register, setValue, formState },
    keyChoice,
    modelId,
    models,
    versions,
    chosenVersion,
    fit,
    fixes,
    setFix,
    failure,
    reloadCurrent,
    changeReason,
    onSubmit,
    saving,
    requiredApprovals,
    review,
    setReview,
  } = useOverrideForm(options);
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
        <ContractFit
          id={`${id}-contract`}
          version={chosenVersion}
          fit={fit}
          provided={service.provided_features}
        />
      ) : null}
      {fixes.length > 0 ? (
        <FeatureFixes
          idPrefix={`${id}-fix`}
          serviceId={service.service_id}
          fixes={fixes}
          onChange={setFix}
        />
      ) : null}
      {failure ? (
        <OverrideFailureNotice
          failure={failure}
          onReload={reloadCurrent}
          onFixFeatures={onFixFeatures}
        />
      ) : null}

      {requiredApprovals > 0 ? (
        <ReviewRequestCard
          requiredApprovals={requiredApprovals}
          value={review}
          onChange={setReview}
        />
      ) : null}

      <div className="max-w-xl">{changeReason.field}</div>

      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" size="sm" busy={saving}>
          {requiredApprovals > 0 ? "Request review" : "Save override"}
        </Button>
        <Button size="sm" onClick={() => onDone(null)} disabled={saving}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
