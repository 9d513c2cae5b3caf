"use client";
// Creating a key's first active revision (or re-activating a retired key) through the collection POST, which
// answers 409 when someone else made the key active meanwhile, instead of overwriting their revision.
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, apiRequest, v2 } from "@/lib/browser/api-client/api-fetch";
import type { Assignment, AssignmentPutBody } from "@/lib/browser/api-client/types";
import { invalidateAfterAssignmentWrite, scopePath } from "./assignments";
import { keys, type ScopeKey } from "./keys";

export function useCreateAssignment(scope: ScopeKey) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      key,
      body,
      reason,
    }: {
      key: string;
      body: AssignmentPutBody;
      reason?: string | null;
    }) =>
      apiRequest<Assignment>(scopePath(scope), {
        method: "POST",
        body: { ...body, assignment_key: key },
        reason,
      }),
    onSuccess: (_result, { body }) => invalidateAfterAssignmentWrite(queryClient, scope, body),
  });
}

/** Any revision by id, archived ones too (the editor's "start from revision N"). */
const assignmentByIdQuery = (assignmentId: string) =>
  queryOptions({
    queryKey: keys.assignments.byId(assignmentId),
    queryFn: () => apiFetch<Assignment>(v2("assignments", assignmentId)),
    staleTime: Infinity,
  });

export const useAssignmentById = (assignmentId: string | null | undefined) =>
  useQuery({ ...assignmentByIdQuery(assignmentId ?? ""), enabled: !!assignmentId });
