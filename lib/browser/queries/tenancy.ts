"use client";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, dataOf, writeHeaders } from "@/lib/browser/api-client/typed-client";
import type { Client, ClientPatchBody, Domain, Page } from "@/lib/browser/api-client/types";
import { keys } from "./keys";

const clientsQuery = () =>
  queryOptions({
    queryKey: keys.clients.list(),
    queryFn: (): Promise<Page<Client>> =>
      api.GET("/v2/clients", { params: { query: { limit: 1000 } } }).then(dataOf),
  });
const clientQuery = (clientId: string) =>
  queryOptions({
    queryKey: keys.clients.detail(clientId),
    queryFn: (): Promise<Client> =>
      api
        .GET("/v2/clients/{client_id}", { params: { path: { client_id: clientId } } })
        .then(dataOf),
  });
const domainsQuery = (clientId: string) =>
  queryOptions({
    queryKey: keys.domains.list(clientId),
    queryFn: (): Promise<Page<Domain>> =>
      api
        .GET("/v2/clients/{client_id}/domains", {
          params: { path: { client_id: clientId }, query: { limit: 1000 } },
        })
        .then(dataOf),
  });
const domainQuery = (clientId: string, domainId: string) =>
  queryOptions({
    queryKey: keys.domains.detail(clientId, domainId),
    queryFn: (): Promise<Domain> =>
      api
        .GET("/v2/clients/{client_id}/domains/{domain_id}", {
          params: { path: { client_id: clientId, domain_id: domainId } },
        })
        .then(dataOf),
  });

export const useClients = () => useQuery(clientsQuery());
export const useClient = (clientId: string) => useQuery(clientQuery(clientId));
export const useDomains = (clientId: string) => useQuery(domainsQuery(clientId));
export const useDomain = (clientId: string, domainId: string) =>
  useQuery(domainQuery(clientId, domainId));

/** Whether every change to this client's data needs a reason (false while unknown). */
export const useReasonRequired = (clientId: string) =>
  useClient(clientId).data?.require_change_reason ?? false;

/** Approvals a change to this domain needs (its own policy, else its client's); null while unknown. */
export function useRequiredApprovals(clientId: string, domainId: string): number | null {
  const client = useClient(clientId).data;
  const domain = useDomain(clientId, domainId).data;
  if (!client || !domain) return null;
  return (domain.change_policy ?? client.change_policy).required_approvals;
}

/** PATCH a client (admins): its name, or whether changes need a reason. */
export function usePatchClient(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, reason }: { patch: ClientPatchBody; reason?: string | null }) =>
      api
        .PATCH("/v2/clients/{client_id}", {
          params: { path: { client_id: clientId }, header: writeHeaders({ reason }) },
          body: patch,
        })
        .then((answer): Client => dataOf(answer)),
    onSuccess: (client) => {
      queryClient.setQueryData(keys.clients.detail(clientId), client);
      return queryClient.invalidateQueries({ queryKey: keys.clients.list() });
    },
  });
}
