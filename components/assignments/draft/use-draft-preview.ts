"use client";
// The draft's live dry run: a preview of the model version picked (with the features typed so far), asked a
// moment after the person stops changing it, and only ever shown for the version picked now. Part of the
// assignment draft (use-assignment-draft.ts), which passes it the draft's scope.
import { useQuery } from "@tanstack/react-query";
import type { AssignmentPutBody, BlockingService } from "@/lib/browser/api-client/types";
import { fetchPreview, previewQuery } from "@/lib/browser/queries/assignments";
import { targetKey } from "../service-repairs";
import { useDebouncedValue } from "../use-debounced-value";

type ServiceUpdates = NonNullable<AssignmentPutBody["service_updates"]>;

/** What the draft previews: the key and target picked so far, with the fixes and pins that go with them. */
export type DraftPreviewInput = {
  /** null while the key typed is not a valid key (nothing to ask about). */
  assignmentKey: string | null;
  modelId: string;
  version: string;
  updates: ServiceUpdates;
  /** The services to keep on the version they run now (pin_services). */
  pins?: readonly string[];
  /** Told about every answer fetched: the services blocking `target` (model@version). */
  onReport: (target: string, blocking: BlockingService[]) => void;
};

export function useDraftPreview(
  { clientId, domainId }: { clientId: string; domainId: string },
  { assignmentKey, modelId, version, updates, pins = [], onReport }: DraftPreviewInput,
) {
  const target = modelId && version ? targetKey(modelId, version) : null;
  const input =
    target && assignmentKey !== null
      ? {
          key: assignmentKey,
          // Role, settings and metadata don't change which services are compatible: no re-check as they are typed.
          body: {
            model_id: modelId,
            model_version: version,
            ...(updates.length ? { service_updates: updates } : {}),
            ...(pins.length ? { pin_services: [...pins] } : {}),
          } satisfies AssignmentPutBody,
        }
      : null;
  const debounced = useDebouncedValue(input, 300);
  const askedTarget = debounced
    ? targetKey(debounced.body.model_id, debounced.body.model_version)
    : null;
  const params = { clientId, domainId, key: debounced?.key ?? "", body: debounced?.body ?? null };

  const query = useQuery({
    ...previewQuery(params),
    queryFn: async () => {
      const preview = await fetchPreview(params);
      // Remember what this answer reports as it arrives: the list shrinks as services get fixed, their inputs stay.
      if (askedTarget) onReport(askedTarget, preview.blocking_services);
      return preview;
    },
    // While the features typed so far are re-checked, keep showing the last answer for the same version; an
    // answer about another version would show the wrong blocking services.
    placeholderData: (previous, previousQuery) => {
      const body = previousQuery?.queryKey[1].body;
      return body && askedTarget === targetKey(body.model_id, body.model_version)
        ? previous
        : undefined;
    },
    retry: false,
  });

  // Only an answer about the version picked now is shown (the debounce lags the form by a moment).
  const aboutTarget = askedTarget === target;
  const current =
    !!input &&
    JSON.stringify(input) === JSON.stringify(debounced) &&
    !query.isPlaceholderData &&
    !query.isFetching;
  const data = aboutTarget ? query.data : undefined;
  return {
    /** A model, a version and a valid key are picked: there is something to preview. */
    ready: !!input,
    data,
    dataUpdatedAt: query.dataUpdatedAt,
    error: aboutTarget ? query.error : null,
    /** What is shown answers an earlier state of the form; a new answer is on its way. */
    updating: !!input && !current && !!data,
    refetch: () => void query.refetch(),
  };
}
