"use client";
// The features editor's logic: its rows (typed by the contracts that apply), what each contract says the service
// lacks, the first focus, Enter / Esc, and Save: a PATCH of what changed, with the server's refusal put next to
// the inputs it names.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { useFieldArray, useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { useChangeReason } from "@/components/audit/reason-field";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import { usePatchService } from "@/lib/browser/queries/services";
import { useReasonRequired } from "@/lib/browser/queries/tenancy";
import { checkCompatibility } from "@/lib/features/check-compatibility";
import type { Features } from "@/lib/features/types";
import {
  buildFeatureRows,
  mergeContracts,
  planFeaturePatch,
  type EditorContract,
  type FeatureRow,
} from "./feature-rows";

export type FeaturesFormValues = { rows: FeatureRow[] };

/** What each contract says the service lacks (by feature key), so those inputs say so before anyone saves. */
function contractProblems(
  serviceId: string,
  provided: Features,
  contracts: readonly EditorContract[],
): Map<string, string> {
  const found = new Map<string, string>();
  for (const contract of contracts) {
    const result = checkCompatibility(serviceId, provided, contract.features);
    for (const key of result.missing)
      if (!found.has(key)) found.set(key, `Missing: ${contract.label} requires it`);
    for (const i of result.invalid)
      if (!found.has(i.key))
        found.set(
          i.key,
          `Current value ${i.got} is not ${i.expected} (${contract.label}); saving replaces it`,
        );
  }
  return found;
}

export function useFeaturesForm({
  clientId,
  domainId,
  service,
  contracts,
  onClose,
}: {
  clientId: string;
  domainId: string;
  service: { service_id: string; provided_features: Features };
  contracts: readonly EditorContract[];
  onClose: (result: "saved" | "cancelled") => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  // By content, so a parent's new (equal) array doesn't rebuild the rows under the person's cursor.
  const contractsSignature = JSON.stringify(contracts);
  const merged = useMemo(
    () => mergeContracts(JSON.parse(contractsSignature) as EditorContract[]),
    [contractsSignature],
  );
  const initialRows = useMemo(
    () => buildFeatureRows(service.provided_features, merged),
    [service.provided_features, merged],
  );
  const problems = useMemo(
    () =>
      contractProblems(
        service.service_id,
        service.provided_features,
        JSON.parse(contractsSignature) as EditorContract[],
      ),
    [contractsSignature, service.provided_features, service.service_id],
  );

  const form = useForm<FeaturesFormValues>({ defaultValues: { rows: initialRows } });
  const { control, handleSubmit, setError, clearErrors, setFocus, formState } = form;
  const { fields, append, remove } = useFieldArray({ control, name: "rows" });
  const rows = useWatch({ control, name: "rows" }) ?? initialRows;
  const [serverError, setServerError] = useState<string | null>(null);
  const patchService = usePatchService(clientId, domainId);
  const changeReason = useChangeReason(
    `features-reason-${service.service_id}`,
    useReasonRequired(clientId),
  );

  // Start where the work is: the first feature the chosen version says is wrong, else the first input.
  useEffect(() => {
    const first = initialRows.findIndex((r) => problems.has(r.key));
    if (initialRows.length > 0) setFocus(`rows.${Math.max(first, 0)}.value`);
    else formRef.current?.querySelector<HTMLButtonElement>("[data-add-feature]")?.focus();
  }, [initialRows, problems, setFocus]);

  const rowIndexForKey = (key: string) =>
    rows.findIndex((r) => (r.origin === "new" ? r.key.trim() : r.key) === key);

  /** Marks the inputs the server named, so the fix is next to its message. */
  function showServerError(error: unknown) {
    const apiError = error instanceof ApiClientError ? error : null;
    setServerError(apiError?.message ?? (error as Error).message);
    const mark = (key: string, message: string) => {
      const index = rowIndexForKey(key);
      if (index >= 0) setError(`rows.${index}.value`, { type: "server", message });
    };
    for (const blocking of apiError?.blockingServices ?? []) {
      for (const key of blocking.missing)
        mark(key, `${key}: missing (an assigned model version requires it)`);
      for (const invalid of blocking.invalid)
        mark(invalid.key, `${invalid.key}: expected ${invalid.expected}, got ${invalid.got}`);
    }
    for (const issue of apiError?.issues ?? [])
      mark(issue.path.replace(/^provided_features\./, ""), issue.message);
  }

  const onSubmit = handleSubmit(async (values) => {
    clearErrors();
    setServerError(null);
    const { patch, errors } = planFeaturePatch(values.rows, service.provided_features, merged);
    if (errors.size > 0) {
      let first: string | null = null;
      for (const [index, error] of [...errors].sort(([a], [b]) => a - b)) {
        if (error.key) setError(`rows.${index}.key`, { type: "validate", message: error.key });
        if (error.value)
          setError(`rows.${index}.value`, { type: "validate", message: error.value });
        first ??= error.key ? `rows.${index}.key` : `rows.${index}.value`;
      }
      if (first) setFocus(first as `rows.${number}.value`);
      return;
    }
    if (Object.keys(patch).length === 0) {
      toast.info(`No changes to save for ${service.service_id}`);
      onClose("cancelled");
      return;
    }
    if (!changeReason.check()) return;
    try {
      await patchService.mutateAsync({
        serviceId: service.service_id,
        patch: { provided_features: patch },
        reason: changeReason.reason,
      });
      toast.success(`Saved the features of ${service.service_id}`);
      onClose("saved");
    } catch (error) {
      showServerError(error);
    }
  });

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onClose("cancelled");
      return;
    }
    // Text fields submit on Enter by themselves; make selects and switches do the same.
    const target = event.target as HTMLElement;
    const isSwitch = target instanceof HTMLInputElement && target.type === "checkbox";
    if (event.key === "Enter" && (target instanceof HTMLSelectElement || isSwitch)) {
      event.preventDefault();
      formRef.current?.requestSubmit();
    }
  };

  const addFeature = () =>
    append(
      { key: "", type: "string", origin: "new", removed: false, touched: false, value: "" },
      { focusName: `rows.${fields.length}.key` },
    );

  return {
    form,
    formRef,
    fields,
    rows,
    merged,
    problems,
    remove,
    addFeature,
    onSubmit,
    onKeyDown,
    serverError,
    reasonField: changeReason.field,
    saving: patchService.isPending || formState.isSubmitting,
  };
}
