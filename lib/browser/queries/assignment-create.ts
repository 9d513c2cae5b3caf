"use client";
// Creating a key's first active revision (or re-activating a retired key) through the collection POST, which
// answers 409 when someone else made the key active meanwhile, instead of overwriting their revision.
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, dataOf } from "@/lib/browser/api-client/typed-client";
import type { Assignment, AssignmentPutBody } from "@/lib/browser/api-client/types";
import { createAssignment, invalidateAfterAssignmentWrite } from "./assignments";
import { keys, type ScopeKey } from "./keys";

export function useCreateAssignment(scope: ScopeKey) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (write: { key: string; body: AssignmentPutBody; reason?: string | null }) =>
      createAssignment(scope, write),
    onSuccess: (_result, { body }) => invalidateAfterAssignmentWrite(queryClient, scope, body),
  });
}

/** Any revision by id, archived ones too (the editor's "start from revision N"). */
const assignmentByIdQuery = (assignmentId: string) =>
  queryOptions({
    queryKey: keys.assignments.byId(assignmentId),
    queryFn: (): Promise<Assignment> =>
      api
        .GET("/v2/assignments/{assignment_id}", {
          params: { path: { assignment_id: assignmentId } },
        })
        .then(dataOf),
    staleTime: Infinity,
  });

export const useAssignmentById = (assignmentId: string | null | undefined) =>
  useQuery({ ...assignmentByIdQuery(assignmentId ?? ""), enabled: !!assignmentId });
