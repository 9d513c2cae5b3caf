"use client";
import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { apiFetch, v2, withQuery } from "@/lib/browser/api-client/api-fetch";
import type {
  Page,
  Service,
  ServiceListItem,
  ServiceFilters,
  ServicePatchBody,
} from "@/lib/browser/api-client/types";
import { keys } from "./keys";

export type { ServiceFilters, ServiceListItem };

const servicesQuery = (clientId: string, domainId: string, filters: ServiceFilters) =>
  queryOptions({
    queryKey: keys.services.list(clientId, domainId, filters),
    queryFn: ({ signal }) =>
      apiFetch<Page<ServiceListItem>>(
        withQuery(v2("clients", clientId, "domains", domainId, "services"), filters),
        { signal },
      ),
    placeholderData: keepPreviousData,
  });

export const serviceQuery = (clientId: string, domainId: string, serviceId: string) =>
  queryOptions({
    queryKey: keys.services.detail(clientId, domainId, serviceId),
    queryFn: () =>
      apiFetch<Service>(v2("clients", clientId, "domains", domainId, "service", serviceId)),
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
    }) =>
      apiFetch<Service>(v2("clients", clientId, "domains", domainId, "service", serviceId), {
        method: "PATCH",
        body: patch,
        reason,
      }),
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
