"use client";
// Observed state: a key's sync status (what services report they run against what they should run).
import { keepPreviousData, queryOptions, useQueries, useQuery } from "@tanstack/react-query";
import { api, dataOf } from "@/lib/browser/api-client/typed-client";
import type { ServiceSyncStatus, SyncStatusPage } from "@/lib/schemas/observations";
import {
  syncHistoryByKey,
  type FeedChange,
  type SyncHistoryEntry,
} from "@/lib/features/sync-history";
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

/** Changes per page when reading a service's history (the most the feed answers). */
const HISTORY_PAGE = 1000;

/**
 * A service's report history: the last changes of its sync state per key, newest first. Reads the domain's change
 * feed filtered to the service (`?service_id=`), page after page to its end (a service has few changes: one page
 * answers nearly always), and keeps each key's last ten.
 */
export const useServiceSyncHistory = (clientId: string, domainId: string, serviceId: string) =>
  useQuery({
    queryKey: keys.services.syncHistory(clientId, domainId, serviceId),
    queryFn: async (): Promise<Map<string, SyncHistoryEntry[]>> => {
      const changes: FeedChange[] = [];
      let after = "0";
      for (;;) {
        const page = await api
          .GET("/v2/clients/{client_id}/domains/{domain_id}/changes", {
            params: {
              path: { client_id: clientId, domain_id: domainId },
              query: { after, limit: HISTORY_PAGE, service_id: serviceId },
            },
          })
          .then(dataOf);
        changes.push(...page.items.filter((c) => c.action === "sync_changed"));
        if (page.items.length < HISTORY_PAGE) break;
        after = page.next_cursor;
      }
      return syncHistoryByKey(changes, serviceId);
    },
    refetchInterval: 60_000,
  });
