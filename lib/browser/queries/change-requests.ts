"use client";
// Change requests (four eyes) for the console: a client's requests, one request, the queue of what awaits the
// signed-in person (the navigation's count), and the writes: open, edit, review, apply, withdraw.
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, dataOf, writeHeaders } from "@/lib/browser/api-client/typed-client";
import type {
  ChangeRequest,
  ChangeRequestCreateBody,
  ChangeRequestSummary,
  Client,
  Page,
} from "@/lib/browser/api-client/types";
import { keys } from "./keys";

export type ChangeRequestFilters = {
  status?: ChangeRequestSummary["status"];
  domain_id?: string;
  needs_review_by?: "me";
};

export const changeRequestsQuery = (clientId: string, filters: ChangeRequestFilters = {}) =>
  queryOptions({
    queryKey: keys.changeRequests.list(clientId, filters),
    queryFn: (): Promise<Page<ChangeRequestSummary>> =>
      api
        .GET("/v2/clients/{client_id}/change-requests", {
          params: { path: { client_id: clientId }, query: { limit: 100, ...filters } },
        })
        .then(dataOf),
  });

export const changeRequestQuery = (clientId: string, id: string) =>
  queryOptions({
    queryKey: keys.changeRequests.detail(clientId, id),
    queryFn: (): Promise<ChangeRequest> =>
      api
        .GET("/v2/clients/{client_id}/change-requests/{change_request_id}", {
          params: { path: { client_id: clientId, change_request_id: id } },
        })
        .then(dataOf),
  });

export const useChangeRequests = (clientId: string, filters: ChangeRequestFilters = {}) =>
  useQuery(changeRequestsQuery(clientId, filters));
export const useChangeRequest = (clientId: string, id: string) =>
  useQuery(changeRequestQuery(clientId, id));

/** Every request awaiting the signed-in person's review, across the clients they may see (refreshed each minute). */
export const useReviewQueue = (enabled = true) =>
  useQuery({
    queryKey: keys.changeRequests.queue(),
    enabled,
    refetchInterval: 60_000,
    queryFn: async (): Promise<ChangeRequestSummary[]> => {
      const clients: Page<Client> = await api
        .GET("/v2/clients", { params: { query: { limit: 1000 } } })
        .then(dataOf);
      const pages = await Promise.all(
        clients.items.map((c) =>
          api
            .GET("/v2/clients/{client_id}/change-requests", {
              params: {
                path: { client_id: c.client_id },
                query: { needs_review_by: "me", limit: 100 },
              },
            })
            .then(dataOf),
        ),
      );
      return pages.flatMap((p) => p.items);
    },
  });

function useInvalidate(clientId: string) {
  const queryClient = useQueryClient();
  return (request: ChangeRequest) => {
    queryClient.setQueryData(keys.changeRequests.detail(clientId, request.id), request);
    void queryClient.invalidateQueries({ queryKey: keys.changeRequests.all(clientId) });
    void queryClient.invalidateQueries({ queryKey: keys.changeRequests.queue() });
  };
}

export function useOpenChangeRequest(clientId: string) {
  const done = useInvalidate(clientId);
  return useMutation({
    mutationFn: ({ body, reason }: { body: ChangeRequestCreateBody; reason?: string | null }) =>
      api
        .POST("/v2/clients/{client_id}/change-requests", {
          params: { path: { client_id: clientId }, header: writeHeaders({ reason }) },
          body,
        })
        .then((answer): ChangeRequest => dataOf(answer)),
    onSuccess: done,
  });
}

/**
 * Edits a request (its author): the changes given replace the request's, their impact is decided again, and every
 * approval stops counting.
 */
export function useEditChangeRequest(clientId: string, id: string) {
  const done = useInvalidate(clientId);
  return useMutation({
    mutationFn: (body: Pick<ChangeRequestCreateBody, "changes">) =>
      api
        .PATCH("/v2/clients/{client_id}/change-requests/{change_request_id}", {
          params: { path: { client_id: clientId, change_request_id: id } },
          body,
        })
        .then((answer): ChangeRequest => dataOf(answer)),
    onSuccess: done,
  });
}

export function useReviewChangeRequest(clientId: string, id: string) {
  const done = useInvalidate(clientId);
  return useMutation({
    mutationFn: (body: {
      decision: "approve" | "reject" | "comment";
      comment?: string;
      impact_hash: string;
    }) =>
      api
        .POST("/v2/clients/{client_id}/change-requests/{change_request_id}/reviews", {
          params: { path: { client_id: clientId, change_request_id: id } },
          body,
        })
        .then((answer): ChangeRequest => dataOf(answer)),
    onSuccess: done,
  });
}

export function useApplyChangeRequest(clientId: string, id: string) {
  const done = useInvalidate(clientId);
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api
        .POST("/v2/clients/{client_id}/change-requests/{change_request_id}/apply", {
          params: { path: { client_id: clientId, change_request_id: id } },
        })
        .then((answer): ChangeRequest => dataOf(answer)),
    onSuccess: (request) => {
      done(request);
      void queryClient.invalidateQueries({ queryKey: ["assignments"] });
      void queryClient.invalidateQueries({ queryKey: ["services"] });
    },
    // A stale apply changed the request: read it again to show what changed.
    onError: () => queryClient.invalidateQueries({ queryKey: keys.changeRequests.all(clientId) }),
  });
}

export function useWithdrawChangeRequest(clientId: string, id: string) {
  const done = useInvalidate(clientId);
  return useMutation({
    mutationFn: () =>
      api
        .POST("/v2/clients/{client_id}/change-requests/{change_request_id}/withdraw", {
          params: { path: { client_id: clientId, change_request_id: id } },
        })
        .then((answer): ChangeRequest => dataOf(answer)),
    onSuccess: done,
  });
}

/**
 * When a scheduled request's time has come: read the client's requests (and what they wrote) again shortly after,
 * and once more a few seconds later, so the page shows it applied or failed without a reload.
 */
export function useReadAfterDue(clientId: string) {
  const queryClient = useQueryClient();
  return () => {
    const read = () => {
      void queryClient.invalidateQueries({ queryKey: keys.changeRequests.all(clientId) });
      void queryClient.invalidateQueries({ queryKey: ["assignments"] });
    };
    setTimeout(read, 1_500);
    setTimeout(read, 5_000);
  };
}
