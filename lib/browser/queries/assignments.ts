"use client";
// Assignment reads and writes for one scope (a domain default when serviceId is null, else a service override).
import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import {
  apiFetch,
  apiRequest,
  v2,
  withQuery,
  type ApiResult,
} from "@/lib/browser/api-client/api-fetch";
import type {
  Assignment,
  AssignmentPutBody,
  AssignmentRevision,
  Page,
  Preview,
} from "@/lib/browser/api-client/types";
import { keys, type ScopeKey } from "./keys";

/** After an assignment write: effective assignments, previews and (with service updates) services may have changed. */
export function invalidateAfterAssignmentWrite(
  queryClient: QueryClient,
  scope: ScopeKey,
  body: AssignmentPutBody,
) {
  void queryClient.invalidateQueries({
    queryKey: keys.assignments.domain(scope.clientId, scope.domainId),
  });
  if (body.service_updates?.length || scope.serviceId) {
    void queryClient.invalidateQueries({
      queryKey: keys.services.all(scope.clientId, scope.domainId),
    });
  }
  void queryClient.invalidateQueries({
    queryKey: keys.domains.detail(scope.clientId, scope.domainId),
  });
}

export function scopePath(scope: ScopeKey): string {
  return scope.serviceId
    ? v2(
        "clients",
        scope.clientId,
        "domains",
        scope.domainId,
        "service",
        scope.serviceId,
        "assignments",
      )
    : v2("clients", scope.clientId, "domains", scope.domainId, "assignments");
}

const assignmentsQuery = (scope: ScopeKey, status: "active" | "archived" | "all" = "active") =>
  queryOptions({
    queryKey: keys.assignments.list(scope, status),
    queryFn: () => apiFetch<Page<Assignment>>(withQuery(scopePath(scope), { status, limit: 1000 })),
  });

/** The active revision of a key with its ETag (for If-Match); `null` data when the key has none (404). */
export const assignmentQuery = (scope: ScopeKey, key: string) =>
  queryOptions({
    queryKey: keys.assignments.detail(scope, key),
    queryFn: async (): Promise<ApiResult<Assignment> | null> => {
      try {
        return await apiRequest<Assignment>(`${scopePath(scope)}/${encodeURIComponent(key)}`);
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
    },
  });

const revisionsQuery = (scope: ScopeKey, key: string) =>
  queryOptions({
    queryKey: keys.assignments.revisions(scope, key),
    queryFn: () =>
      apiFetch<Page<AssignmentRevision>>(
        withQuery(`${scopePath(scope)}/${encodeURIComponent(key)}/revisions`, { limit: 1000 }),
      ),
  });

type PreviewParams = {
  clientId: string;
  domainId: string;
  key: string;
  /** What would be saved; null = nothing to check yet (the query stays idle). */
  body: AssignmentPutBody | null;
};

/** Asks the preview route what a domain default change would do (writes nothing). */
export const fetchPreview = ({ clientId, domainId, key, body }: PreviewParams) =>
  apiFetch<Preview>(`${v2("clients", clientId, "domains", domainId, "assignments", key)}/preview`, {
    method: "POST",
    body,
  });

/** The blast radius of a domain default change, from the preview route (writes nothing). */
export const previewQuery = (params: PreviewParams) =>
  queryOptions({
    queryKey: keys.assignments.preview(params),
    queryFn: () => fetchPreview(params),
    enabled: params.body !== null,
    staleTime: 0,
  });

export const useAssignments = (scope: ScopeKey, status?: "active" | "archived" | "all") =>
  useQuery(assignmentsQuery(scope, status));
export const useAssignment = (scope: ScopeKey, key: string) =>
  useQuery(assignmentQuery(scope, key));
export const useRevisions = (scope: ScopeKey, key: string) => useQuery(revisionsQuery(scope, key));

/**
 * PUT a key (the seed route for a service, the domain default route otherwise). Pass `ifMatch` (the ETag of
 * what the person started from) so a concurrent change answers 412 instead of being overwritten.
 */
export function useUpsertAssignment(scope: ScopeKey) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      key,
      body,
      ifMatch,
      reason,
    }: {
      key: string;
      body: AssignmentPutBody;
      ifMatch?: string | null;
      reason?: string | null;
    }) =>
      apiRequest<Assignment>(`${scopePath(scope)}/${encodeURIComponent(key)}`, {
        method: "PUT",
        body,
        ifMatch,
        reason,
      }),
    onSuccess: (_result, { body }) => invalidateAfterAssignmentWrite(queryClient, scope, body),
  });
}
