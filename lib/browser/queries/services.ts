"use client";
import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { apiFetch, v2, withQuery } from "@/lib/browser/api-client/api-fetch";
import type { Page, Service } from "@/lib/browser/api-client/types";
import type { BlockingService } from "@/lib/browser/api-client/api-fetch";
import { keys } from "./keys";

export type EffectiveRef = {
  assignment_id: string;
  model_id: string;
  model_version: string;
  source: "service" | "domain_default";
};
export type ServiceListItem = Service & {
  effective?: Record<string, EffectiveRef>;
  compatibility?: Omit<BlockingService, "service_id"> & { compatible: boolean };
};

export type ServiceFilters = {
  q?: string;
  status?: "active" | "departed" | "all";
  feature?: string[];
  compatible_with?: string;
  compatible?: "true" | "false";
  include?: "effective";
  limit?: number;
  cursor?: string;
};

export const servicesQuery = (clientId: string, domainId: string, filters: ServiceFilters) =>
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

export type ServicePatch = {
  name?: string | null;
  status?: "departed";
  provided_features?: Record<string, unknown>;
};

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
      patch: ServicePatch;
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
