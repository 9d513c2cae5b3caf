"use client";
// The override form's state: the key/model/version choice, the chosen version's contract and how the service
// fits it, the values typed for what it lacks, and the save (one PUT, with those values as service_updates).
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { baseOf, contentOf, draftBody } from "@/components/assignments/draft/assignment-draft";
import { useAssignmentDraft } from "@/components/assignments/draft/use-assignment-draft";
import type { BlockingService } from "@/lib/browser/api-client/types";
import type { Assignment, ModelVersion } from "@/lib/browser/api-client/types";
import { paths } from "@/components/paths";
import { keys } from "@/lib/browser/queries/keys";
import { useRequiredApprovals } from "@/lib/browser/queries/tenancy";
import { useModels, useVersions } from "@/lib/browser/queries/registry";
import { checkCompatibility } from "@/lib/features/check-compatibility";
import {
  checkFixes,
  emptyRepairs,
  recordBlocking,
  setFixValue,
  targetKey,
  type FieldCheck,
  type RepairState,
} from "@/components/assignments/service-repairs";
import type { FeatureInputValue } from "@/lib/features/contract-form";
import type {
  CompatibilityResult,
  FeatureDefinition,
  FeatureValue,
  Features,
} from "@/lib/features/types";
import { ID_REGEX, ID_RULE } from "@/lib/schemas/id";

export const ANOTHER_KEY = "__another__";

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
        message: `Use ${ID_RULE}`,
      });
    }
  });

type OverrideValues = z.infer<typeof overrideSchema>;

/** Why the last save failed: the server's message, and the features that blocked it on this service. */
export type OverrideFailure = {
  message: string;
  status: number;
  blocking: BlockingService | null;
  version: ModelVersion | null;
};

export type OverrideFormOptions = {
  clientId: string;
  domainId: string;
  service: { service_id: string; provided_features: Features };
  /** The domain's keys, offered in the key select. */
  knownKeys: string[];
  initialKey: string | null;
  /** The service's own active overrides, by key: kept role/settings/metadata and the If-Match of a change. */
  current: Map<string, Assignment>;
  onDone: (key: string | null) => void;
};

/**
 * What the person types for the features the chosen version finds missing or invalid on this service: the editor's
 * repair model (service-repairs.ts) for one service, so a fix is read and checked the same way in both places.
 */
function useFeatureFixes(
  serviceId: string,
  version: ModelVersion | null,
  fit: CompatibilityResult | null,
) {
  const [repairs, setRepairs] = useState<RepairState>(emptyRepairs);
  const fixes = useMemo((): FeatureFix[] => {
    if (!version || !fit || fit.compatible) return [];
    const target = targetKey(version.model_id, version.version);
    const asked = recordBlocking(repairs, target, [fit]);
    return (checkFixes(asked, target, version.features)[0]?.fields ?? []).filter(hasDefinition);
  }, [version, fit, repairs]);
  const setFix = (key: string, value: FeatureInputValue) =>
    setRepairs((state) => setFixValue(state, serviceId, key, value));
  return { fixes, setFix };
}

/** A feature to fill in, defined by the chosen version's contract. */
export type FeatureFix = FieldCheck & { definition: FeatureDefinition };

const hasDefinition = (f: FieldCheck): f is FeatureFix => f.definition !== null;

export function useOverrideForm({
  clientId,
  domainId,
  service,
  knownKeys,
  initialKey,
  current,
  onDone,
}: OverrideFormOptions) {
  const id = useId();
  // A key the service has no override for yet is PUT without If-Match (the seed route creates it).
  const draft = useAssignmentDraft({
    scope: { clientId, domainId, serviceId: service.service_id },
    reasonId: `override-reason-${service.service_id}`,
    whenNew: "put",
  });
  const changeReason = draft.reason;
  const queryClient = useQueryClient();
  const router = useRouter();
  // Where the domain requires approvals, the save opens a change request (as the domain default editor does).
  const requiredApprovals = useRequiredApprovals(clientId, domainId) ?? 0;
  const [review, setReview] = useState({ title: "", description: "", applyAt: "" });
  const models = useModels();
  const own = initialKey ? current.get(initialKey) : undefined;
  const form = useForm<OverrideValues>({
    resolver: zodResolver(overrideSchema),
    defaultValues: {
      keyChoice: initialKey ?? knownKeys[0] ?? ANOTHER_KEY,
      newKey: "",
      modelId: own?.model_id ?? "",
      version: "",
    },
  });
  const { handleSubmit, control, setFocus, formState } = form;
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
  const { fixes, setFix } = useFeatureFixes(service.service_id, chosenVersion, fit);
  const fixErrors = fixes.filter((f) => f.value !== undefined && f.error !== null);

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
    for (const f of fixes) if (f.parsed) staticFeatures[f.key] = f.parsed.value;
    // Changing an override keeps what else it carried; the If-Match refuses it if someone changed it meanwhile.
    const chosen = { model_id: values.modelId, model_version: values.version };
    const body = draftBody({
      content: existing ? { ...contentOf(existing), ...chosen } : chosen,
      updates:
        Object.keys(staticFeatures).length > 0
          ? [{ service_id: service.service_id, static_features: staticFeatures }]
          : [],
    });
    const base = existing ? baseOf(existing) : null;
    const outcome =
      requiredApprovals > 0
        ? await draft.requestReview({
            key,
            body,
            base,
            title:
              review.title.trim() ||
              `${key}: ${values.modelId}@${values.version} for ${service.service_id}`,
            description: review.description.trim() || undefined,
            applyAt: review.applyAt ? new Date(review.applyAt).toISOString() : null,
          })
        : await draft.save({ key, body, base });
    if (outcome.kind === "requested") {
      toast.success(`Opened change request #${outcome.request.number}: it awaits review`);
      router.push(paths.changeRequest(clientId, outcome.request.id));
      return;
    }
    if (outcome.kind !== "failure") {
      toast.success(
        `${service.service_id} now runs ${values.modelId}@${values.version} for “${key}”`,
      );
      onDone(key);
      return;
    }
    const { failure } = outcome;
    const blocking = failure.kind === "blocked" ? failure.blocking : [];
    setFailure({
      message: failure.message,
      status: failure.status,
      blocking: blocking.find((b) => b.service_id === service.service_id) ?? blocking[0] ?? null,
      version: chosenVersion,
    });
  });

  /** After a 412: forget the failure and load the override someone else changed. */
  const reloadCurrent = () => {
    setFailure(null);
    void queryClient.invalidateQueries({
      queryKey: keys.assignments.domain(clientId, domainId),
    });
  };

  return {
    id,
    form,
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
    saving: draft.saving || formState.isSubmitting,
    /** Approvals the domain requires: more than 0 makes the save "Request review". */
    requiredApprovals,
    review,
    setReview,
  };
}
