"use client";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch, v2 } from "@/lib/api-client/api-fetch";
import type { Client, Domain, Page } from "@/lib/api-client/types";
import { keys } from "./keys";

export const clientsQuery = () =>
  queryOptions({
    queryKey: keys.clients.list(),
    queryFn: () => apiFetch<Page<Client>>("/v2/clients?limit=1000"),
  });
export const clientQuery = (clientId: string) =>
  queryOptions({
    queryKey: keys.clients.detail(clientId),
    queryFn: () => apiFetch<Client>(v2("clients", clientId)),
  });
export const domainsQuery = (clientId: string) =>
  queryOptions({
    queryKey: keys.domains.list(clientId),
    queryFn: () => apiFetch<Page<Domain>>(`${v2("clients", clientId, "domains")}?limit=1000`),
  });
export const domainQuery = (clientId: string, domainId: string) =>
  queryOptions({
    queryKey: keys.domains.detail(clientId, domainId),
    queryFn: () => apiFetch<Domain>(v2("clients", clientId, "domains", domainId)),
  });

export const useClients = () => useQuery(clientsQuery());
export const useClient = (clientId: string) => useQuery(clientQuery(clientId));
export const useDomains = (clientId: string) => useQuery(domainsQuery(clientId));
export const useDomain = (clientId: string, domainId: string) =>
  useQuery(domainQuery(clientId, domainId));
