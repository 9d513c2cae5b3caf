"use client";
// Assignment reads and writes for one scope (a domain default when serviceId is null, else a service override),
// through the typed client: each call names its /v2 path, so a server schema change is a type error here.
import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import type { ApiResult } from "@/lib/browser/api-client/api-fetch";
import { api, dataOf, resultOf, writeHeaders } from "@/lib/browser/api-client/typed-client";
import type { components } from "@/lib/client/api-schema";
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

/** The path parameters every scope shares (a service scope adds service_id). */
const domainParams = (scope: ScopeKey) => ({
  client_id: scope.clientId,
  domain_id: scope.domainId,
});

type Status = "active" | "archived" | "all";

/** A scope's assignments (the domain defaults, or one service's overrides). */
function listAssignments(scope: ScopeKey, status: Status): Promise<Page<Assignment>> {
  const query = { status, limit: 1000 };
  return scope.serviceId
    ? api
        .GET("/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments", {
          params: { path: { ...domainParams(scope), service_id: scope.serviceId }, query },
        })
        .then(dataOf)
    : api
        .GET("/v2/clients/{client_id}/domains/{domain_id}/assignments", {
          params: { path: domainParams(scope), query },
        })
        .then(dataOf);
}

/** The active revision of a key, with its ETag. */
function getAssignment(scope: ScopeKey, key: string): Promise<ApiResult<Assignment>> {
  return scope.serviceId
    ? api
        .GET(
          "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments/{assignment_key}",
          {
            params: {
              path: { ...domainParams(scope), service_id: scope.serviceId, assignment_key: key },
            },
          },
        )
        .then(resultOf)
    : api
        .GET("/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}", {
          params: { path: { ...domainParams(scope), assignment_key: key } },
        })
        .then(resultOf);
}

function listRevisions(scope: ScopeKey, key: string): Promise<Page<AssignmentRevision>> {
  const query = { limit: 1000 };
  return scope.serviceId
    ? api
        .GET(
          "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments/{assignment_key}/revisions",
          {
            params: {
              path: { ...domainParams(scope), service_id: scope.serviceId, assignment_key: key },
              query,
            },
          },
        )
        .then(dataOf)
    : api
        .GET("/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}/revisions", {
          params: { path: { ...domainParams(scope), assignment_key: key }, query },
        })
        .then(dataOf);
}

type Write = {
  key: string;
  body: AssignmentPutBody;
  /** The ETag of what the person started from: a concurrent change answers 412 instead of being overwritten. */
  ifMatch?: string | null;
  reason?: string | null;
};

/** PUT a key (the seed route for a service, the domain default route otherwise). */
export function putAssignment(
  scope: ScopeKey,
  { key, body, ifMatch, reason }: Write,
): Promise<ApiResult<Assignment>> {
  const header = writeHeaders({ ifMatch, reason });
  return scope.serviceId
    ? api
        .PUT(
          "/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments/{assignment_key}",
          {
            params: {
              path: { ...domainParams(scope), service_id: scope.serviceId, assignment_key: key },
              header,
            },
            body,
          },
        )
        .then(resultOf)
    : api
        .PUT("/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}", {
          params: { path: { ...domainParams(scope), assignment_key: key }, header },
          body,
        })
        .then(resultOf);
}

/** POST a key's first active revision (or re-activate a retired key): 409 when someone made it active meanwhile. */
export function createAssignment(
  scope: ScopeKey,
  { key, body, reason }: Omit<Write, "ifMatch">,
): Promise<ApiResult<Assignment>> {
  const header = writeHeaders({ reason });
  const created = { ...body, assignment_key: key };
  return scope.serviceId
    ? api
        .POST("/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}/assignments", {
          params: { path: { ...domainParams(scope), service_id: scope.serviceId }, header },
          body: created,
        })
        .then(resultOf)
    : api
        .POST("/v2/clients/{client_id}/domains/{domain_id}/assignments", {
          params: { path: domainParams(scope), header },
          body: created,
        })
        .then(resultOf);
}

const assignmentsQuery = (scope: ScopeKey, status: Status = "active") =>
  queryOptions({
    queryKey: keys.assignments.list(scope, status),
    queryFn: () => listAssignments(scope, status),
  });

/** The active revision of a key with its ETag (for If-Match); `null` data when the key has none (404). */
export const assignmentQuery = (scope: ScopeKey, key: string) =>
  queryOptions({
    queryKey: keys.assignments.detail(scope, key),
    queryFn: async (): Promise<ApiResult<Assignment> | null> => {
      try {
        return await getAssignment(scope, key);
      } catch (error) {
        if ((error as { status?: number }).status === 404) return null;
        throw error;
      }
    },
  });

const revisionsQuery = (scope: ScopeKey, key: string) =>
  queryOptions({
    queryKey: keys.assignments.revisions(scope, key),
    queryFn: () => listRevisions(scope, key),
  });

type PreviewParams = {
  clientId: string;
  domainId: string;
  key: string;
  /** What would be saved; null = nothing to check yet (the query stays idle). */
  body: AssignmentPutBody | null;
};

/** Asks the preview route what a domain default change would do (writes nothing). */
export async function fetchPreview({
  clientId,
  domainId,
  key,
  body,
}: PreviewParams): Promise<Preview> {
  if (body === null) throw new Error("Nothing to preview yet");
  const answer = await api.POST(
    "/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}/preview",
    { params: { path: { client_id: clientId, domain_id: domainId, assignment_key: key } }, body },
  );
  // openapi-fetch's Readable<> drops keys typed `null` (a change's `to.assignment_id` when the domain default
  // is new), so the answer is read as the document's Preview, checked against the console's type below.
  return dataOf(answer) as PreviewAnswer;
}

/** The document's Preview is the console's: a server schema change that breaks this is a type error here. */
type PreviewAnswer = components["schemas"]["Preview"];
const _previewMatches = (answer: PreviewAnswer): Preview => answer;
void _previewMatches;

/** The blast radius of a domain default change, from the preview route (writes nothing). */
export const previewQuery = (params: PreviewParams) =>
  queryOptions({
    queryKey: keys.assignments.preview(params),
    queryFn: () => fetchPreview(params),
    enabled: params.body !== null,
    staleTime: 0,
  });

export const useAssignments = (scope: ScopeKey, status?: Status) =>
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
    mutationFn: (write: Write) => putAssignment(scope, write),
    onSuccess: (_result, { body }) => invalidateAfterAssignmentWrite(queryClient, scope, body),
  });
}
