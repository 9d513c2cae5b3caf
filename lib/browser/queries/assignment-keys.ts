"use client";
// The assignment keys in use in a domain: each with its active domain default and how many services override it.
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, dataOf } from "@/lib/browser/api-client/typed-client";
import type { AssignmentKeySummary } from "@/lib/browser/api-client/types";
import { keys } from "./keys";

const assignmentKeysQuery = (clientId: string, domainId: string) =>
  queryOptions({
    // Under the domain's assignments prefix, so every assignment write refreshes it.
    queryKey: keys.assignments.keys(clientId, domainId),
    queryFn: (): Promise<{ items: AssignmentKeySummary[] }> =>
      api
        .GET("/v2/clients/{client_id}/domains/{domain_id}/assignment-keys", {
          params: { path: { client_id: clientId, domain_id: domainId } },
        })
        .then(dataOf),
  });

export const useAssignmentKeys = (clientId: string, domainId: string) =>
  useQuery(assignmentKeysQuery(clientId, domainId));
