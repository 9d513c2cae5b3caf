"use client";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, v2 } from "@/lib/browser/api-client/api-fetch";
import type { Client, ClientPatchBody, Domain, Page } from "@/lib/browser/api-client/types";
import { keys } from "./keys";

const clientsQuery = () =>
  queryOptions({
    queryKey: keys.clients.list(),
    queryFn: () => apiFetch<Page<Client>>("/v2/clients?limit=1000"),
  });
const clientQuery = (clientId: string) =>
  queryOptions({
    queryKey: keys.clients.detail(clientId),
    queryFn: () => apiFetch<Client>(v2("clients", clientId)),
  });
const domainsQuery = (clientId: string) =>
  queryOptions({
    queryKey: keys.domains.list(clientId),
    queryFn: () => apiFetch<Page<Domain>>(`${v2("clients", clientId, "domains")}?limit=1000`),
  });
const domainQuery = (clientId: string, domainId: string) =>
  queryOptions({
    queryKey: keys.domains.detail(clientId, domainId),
    queryFn: () => apiFetch<Domain>(v2("clients", clientId, "domains", domainId)),
  });

export const useClients = () => useQuery(clientsQuery());
export const useClient = (clientId: string) => useQuery(clientQuery(clientId));
export const useDomains = (clientId: string) => useQuery(domainsQuery(clientId));
export const useDomain = (clientId: string, domainId: string) =>
  useQuery(domainQuery(clientId, domainId));

/** Whether every change to this client's data needs a reason (false while unknown). */
export const useReasonRequired = (clientId: string) =>
  useClient(clientId).data?.require_change_reason ?? false;

/** PATCH a client (admins): its name, or whether changes need a reason. */
export function usePatchClient(clientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ patch, reason }: { patch: ClientPatchBody; reason?: string | null }) =>
      apiFetch<Client>(v2("clients", clientId), { method: "PATCH", body: patch, reason }),
    onSuccess: (client) => {
      queryClient.setQueryData(keys.clients.detail(clientId), client);
      return queryClient.invalidateQueries({ queryKey: keys.clients.list() });
    },
  });
}
