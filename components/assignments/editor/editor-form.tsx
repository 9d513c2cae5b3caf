"use client";
// The domain default editor's form: pick a model version, see live which services it breaks, fill in what they
// lack, and save it all as one PUT guarded by If-Match (or a POST when the key has no active revision). The
// logic is in hooks (preview, repairs, conflict reload, save); this puts their pieces on the page.
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { paths } from "@/components/paths";
import { Card, CardBody } from "@/components/ui/card";
import { lazyModule } from "@/components/ui/lazy-module";
import type { ApiResult } from "@/lib/browser/api-client/api-fetch";
import type { Assignment } from "@/lib/browser/api-client/types";
import { versionQuery } from "@/lib/browser/queries/registry";
import { useRequiredApprovals } from "@/lib/browser/queries/tenancy";
import {
  assignmentFormResolver,
  assignmentKeyError,
  formValuesFrom,
} from "../assignment-form-schema";
import { ChangeImpact, preloadBlockingFixes } from "../change-impact";
import { CurrentRevision } from "../current-revision";
import { useAssignmentDraft } from "../draft/use-assignment-draft";
import { RetireKeyButton } from "../retire-key-button";
import { targetKey } from "../service-repairs";
import type { KeyPage } from "../use-scope-crumbs";
import { EditorHeader } from "./editor-header";
import type { EditorOutput, EditorValues } from "./form";
import { JsonFieldsCard } from "./json-fields-card";
import { SaveBar } from "./save-bar";
import { TargetCard } from "./target-card";
import { useConflictReload } from "./use-conflict-reload";
import { blockingNow, useRepairs, useShownFixes } from "./use-repairs";
import { useSaveAssignment } from "./use-save-assignment";

// Only a domain that requires approvals asks for a change request's title: its card loads there alone.
const reviewCard = lazyModule(() => import("./review-request-card"));
// The banners of a conflict with someone else's change: fetched with the first touch of the form, shown if one comes.
const conflictAlerts = lazyModule(() => import("./conflict-alerts"));

/** What touching the form for the first time fetches ahead of need. */
const preloadForEditing = () => {
  void preloadBlockingFixes().catch(() => {});
  void conflictAlerts.preload().catch(() => {});
};

export function EditorForm({
  page,
  fixedKey,
  initialBase,
  startFrom,
}: {
  page: KeyPage;
  /** The key edited; null on the "new assignment key" page, where the person types it. */
  fixedKey: string | null;
  initialBase: ApiResult<Assignment> | null;
  startFrom: Assignment | null;
}) {
  const { scope, domainName } = page;
  const { clientId, domainId } = scope;
  const creating = fixedKey === null;
  const saveRef = useRef<HTMLButtonElement>(null);

  const form = useForm<EditorValues, unknown, EditorOutput>({
    resolver: assignmentFormResolver,
    defaultValues: { ...formValuesFrom(startFrom), assignment_key: fixedKey ?? "" },
    mode: "onTouched",
  });
  const [modelId, version, keyText] = useWatch({
    control: form.control,
    name: ["model_id", "model_version", "assignment_key"],
  });
  const key = creating ? keyText.trim() : fixedKey;
  const keyValid = assignmentKeyError(key) === null;
  const target = modelId && version ? targetKey(modelId, version) : null;
  const contract = useQuery({ ...versionQuery(modelId, version), enabled: !!modelId && !!version });

  const repairs = useRepairs(target, contract.data?.features);
  const draft = useAssignmentDraft({
    scope,
    reasonId: "change-reason",
    preview: {
      assignmentKey: keyValid ? key : null,
      modelId,
      version,
      updates: repairs.updates,
      pins: repairs.pins,
      onReport: repairs.record,
    },
  });
  const { preview } = draft;
  const fixes = useShownFixes(
    repairs.repairs,
    target,
    contract.data?.features,
    preview.data?.blocking_services,
  );
  const { blocking, refusalMessage } = blockingNow(repairs.refusal, preview);

  const revision = useConflictReload({
    scope,
    assignmentKey: key,
    form,
    initialBase,
    onReloaded: () => {
      preview.refetch();
      saveRef.current?.focus();
    },
  });
  const { base, conflict, reloaded } = revision;
  const alerts = conflictAlerts.useModule(!!conflict || !!reloaded).module;

  const requiredApprovals = useRequiredApprovals(clientId, domainId) ?? 0;
  const [review, setReview] = useState({ title: "", description: "", applyAt: "" });
  const ReviewRequestCard = reviewCard.useModule(requiredApprovals > 0).module?.ReviewRequestCard;
  const save = useSaveAssignment({
    draft,
    review: requiredApprovals > 0 ? review : null,
    scope,
    form,
    base,
    fixes,
    updates: repairs.updates,
    pins: repairs.pins,
    onSubmitting: repairs.clearRefusal,
    onConflict: revision.showConflict,
    onBlocked: (body, error) => {
      repairs.refuse(
        targetKey(body.model_id, body.model_version),
        error.blockingServices,
        error.message,
      );
      preview.refetch();
    },
  });

  return (
    <>
      <EditorHeader page={page} assignmentKey={fixedKey}>
        {fixedKey !== null && base ? (
          <RetireKeyButton
            scope={scope}
            assignmentKey={fixedKey}
            scopeLabel={domainName}
            base={base}
            onConflict={(message) => revision.showConflict({ kind: "changed", message })}
          />
        ) : null}
      </EditorHeader>

      <form
        onSubmit={save.onSubmit}
        // The first touch of the form fetches what fixing blocking services needs, ahead of the preview.
        onFocus={preloadForEditing}
        onPointerDown={preloadForEditing}
        noValidate
        className="space-y-5"
      >
        {conflict && alerts ? (
          <alerts.ConflictAlert
            conflict={conflict}
            onReload={() => void revision.reloadAndReapply()}
          />
        ) : null}
        {reloaded && alerts ? <alerts.ReloadedAlert reloaded={reloaded} /> : null}

        {!creating ? (
          <CurrentRevision
            revision={base?.data ?? null}
            title="Running now"
            emptyText={`No active revision: ${fixedKey} is not assigned in ${domainName}. Saving creates one.`}
          />
        ) : null}

        <TargetCard
          form={form}
          scope={scope}
          newKey={creating ? { key, valid: keyValid } : null}
          modelId={modelId}
          version={version}
          base={base}
          domainName={domainName}
        />

        <ChangeImpact
          ready={preview.ready}
          loading={!preview.data}
          updating={preview.updating}
          error={preview.error}
          preview={preview.data}
          blocking={blocking}
          fixes={fixes}
          saveRefusal={refusalMessage}
          showErrors={save.submitted}
          serviceHref={(serviceId) => paths.service(clientId, domainId, serviceId)}
          repairs={repairs}
          csv={
            target && contract.data
              ? { clientId, domainId, target, contract: contract.data.features }
              : null
          }
        />

        <JsonFieldsCard form={form} />

        {requiredApprovals > 0 && ReviewRequestCard ? (
          <ReviewRequestCard
            requiredApprovals={requiredApprovals}
            value={review}
            onChange={setReview}
          />
        ) : null}

        <Card>
          <CardBody>{save.reasonField}</CardBody>
        </Card>

        <SaveBar
          saveRef={saveRef}
          creating={creating}
          saving={save.saving}
          cancelHref={paths.domain(clientId, domainId)}
          hasTarget={!!target}
          hasPreview={!!preview.data}
          blockingCount={blocking.length}
          updateCount={repairs.updates.length}
          base={base}
          conflicted={!!conflict}
          saveError={save.saveError}
          requestReview={requiredApprovals > 0}
        />
      </form>
    </>
  );
}
