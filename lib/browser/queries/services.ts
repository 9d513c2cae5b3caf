"use client";
import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, dataOf, writeHeaders } from "@/lib/browser/api-client/typed-client";
import type {
  Page,
  Service,
  ServiceBulkPatchBody,
  ServiceBulkPatchResult,
  ServiceListItem,
  ServiceFilters,
  ServicePatchBody,
} from "@/lib/browser/api-client/types";
import { keys } from "./keys";

export type { ServiceFilters, ServiceListItem };

const servicePath = (clientId: string, domainId: string, serviceId: string) => ({
  client_id: clientId,
  domain_id: domainId,
  service_id: serviceId,
});

const servicesQuery = (clientId: string, domainId: string, filters: ServiceFilters) =>
  queryOptions({
    queryKey: keys.services.list(clientId, domainId, filters),
    queryFn: ({ signal }): Promise<Page<ServiceListItem>> =>
      api
        .GET("/v2/clients/{client_id}/domains/{domain_id}/services", {
          params: { path: { client_id: clientId, domain_id: domainId }, query: filters },
          signal,
        })
        .then(dataOf),
    placeholderData: keepPreviousData,
  });

export const serviceQuery = (clientId: string, domainId: string, serviceId: string) =>
  queryOptions({
    queryKey: keys.services.detail(clientId, domainId, serviceId),
    queryFn: (): Promise<Service> =>
      api
        .GET("/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}", {
          params: { path: servicePath(clientId, domainId, serviceId) },
        })
        .then(dataOf),
  });

export const useServices = (clientId: string, domainId: string, filters: ServiceFilters) =>
  useQuery(servicesQuery(clientId, domainId, filters));
export const useService = (clientId: string, domainId: string, serviceId: string) =>
  useQuery(serviceQuery(clientId, domainId, serviceId));

/** PATCH a service (merge of provided_features; null removes a key). */
export function usePatchService(clientId: string, domainId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      serviceId,
      patch,
      reason,
    }: {
      serviceId: string;
      patch: ServicePatchBody;
      reason?: string | null;
    }): Promise<Service> =>
      api
        .PATCH("/v2/clients/{client_id}/domains/{domain_id}/service/{service_id}", {
          params: {
            path: servicePath(clientId, domainId, serviceId),
            header: writeHeaders({ reason }),
          },
          body: patch,
        })
        .then(dataOf),
    onSuccess: (service) => {
      queryClient.setQueryData(
        keys.services.detail(clientId, domainId, service.service_id),
        service,
      );
      void queryClient.invalidateQueries({ queryKey: keys.services.all(clientId, domainId) });
      void queryClient.invalidateQueries({ queryKey: keys.assignments.domain(clientId, domainId) });
    },
  });
}

/**
 * PATCH many services at once (all or nothing): the services page's CSV import. `dryRun` checks everything the
 * write would and writes nothing (the import's preview).
 */
export function usePatchServices(clientId: string, domainId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      body,
      reason,
      dryRun,
    }: {
      body: ServiceBulkPatchBody;
      reason?: string | null;
      dryRun?: boolean;
    }): Promise<ServiceBulkPatchResult> =>
      api
        .PATCH("/v2/clients/{client_id}/domains/{domain_id}/services", {
          params: {
            path: { client_id: clientId, domain_id: domainId },
            query: dryRun ? { dry_run: "true" } : {},
            header: writeHeaders({ reason }),
          },
          body,
        })
        .then(dataOf),
    onSuccess: (result) => {
      if (result.dry_run) return;
      void queryClient.invalidateQueries({ queryKey: keys.services.all(clientId, domainId) });
      void queryClient.invalidateQueries({ queryKey: keys.assignments.domain(clientId, domainId) });
    },
  });
}

/** Every service of a domain matching the filters, a page of 1,000 at a time (for CSV export and import). */
export async function listAllServices(
  clientId: string,
  domainId: string,
  filters: Omit<ServiceFilters, "cursor" | "limit"> = {},
): Promise<ServiceListItem[]> {
  const all: ServiceListItem[] = [];
  let cursor: string | undefined;
  do {
    const page: Page<ServiceListItem> = await api
      .GET("/v2/clients/{client_id}/domains/{domain_id}/services", {
        params: {
          path: { client_id: clientId, domain_id: domainId },
          query: { ...filters, limit: 1000, cursor },
        },
      })
      .then(dataOf);
    all.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return all;
}
