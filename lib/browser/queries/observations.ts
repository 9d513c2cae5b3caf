"use client";
// Observed state: a key's sync status (what services report they run against what they should run).
import { keepPreviousData, queryOptions, useQueries, useQuery } from "@tanstack/react-query";
import { api, dataOf } from "@/lib/browser/api-client/typed-client";
import type { ServiceSyncStatus, SyncStatusPage } from "@/lib/schemas/observations";
import { keys } from "./keys";

export type SyncStatusQuery = {
  sync?: string;
  service_ids?: string;
  limit?: number;
};

const syncStatusQuery = (clientId: string, domainId: string, key: string, query: SyncStatusQuery) =>
  queryOptions({
    queryKey: keys.assignments.syncStatus(clientId, domainId, key, query),
    queryFn: (): Promise<SyncStatusPage> =>
      api
        .GET("/v2/clients/{client_id}/domains/{domain_id}/assignments/{assignment_key}/status", {
          params: {
            path: { client_id: clientId, domain_id: domainId, assignment_key: key },
            query,
          },
        })
        .then(dataOf) as Promise<SyncStatusPage>,
    // "How long" moves with time, and staleness happens without any change on the feed.
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });

export const useSyncStatus = (
  clientId: string,
  domainId: string,
  key: string,
  query: SyncStatusQuery,
  enabled = true,
) => useQuery({ ...syncStatusQuery(clientId, domainId, key, query), enabled });

/**
 * The sync status of the given services for each key, as `status[key][serviceId]` (one request per key, naming
 * the services: a page of the services table).
 */
export function useSyncStatusesOf(
  clientId: string,
  domainId: string,
  assignmentKeys: readonly string[],
  serviceIds: readonly string[],
): Record<string, Record<string, ServiceSyncStatus>> {
  const ids = serviceIds.slice(0, 100).join(",");
  return useQueries({
    queries: assignmentKeys.map((key) => ({
      ...syncStatusQuery(clientId, domainId, key, { service_ids: ids, limit: 100 }),
      enabled: ids !== "",
    })),
    combine: (results) =>
      Object.fromEntries(
        assignmentKeys.map((key, i) => [
          key,
          Object.fromEntries((results[i]?.data?.items ?? []).map((s) => [s.service_id, s])),
        ]),
      ),
  });
}
