"use client";
// The assignment keys in use in a domain: each with its active domain default and how many services override it.
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch, v2 } from "@/lib/browser/api-client/api-fetch";
import type { AssignmentKeySummary } from "@/lib/browser/api-client/types";
import { keys } from "./keys";

const assignmentKeysQuery = (clientId: string, domainId: string) =>
  queryOptions({
    // Under the domain's assignments prefix, so every assignment write refreshes it.
    queryKey: keys.assignments.keys(clientId, domainId),
    queryFn: () =>
      apiFetch<{ items: AssignmentKeySummary[] }>(
        v2("clients", clientId, "domains", domainId, "assignment-keys"),
      ),
  });

export const useAssignmentKeys = (clientId: string, domainId: string) =>
  useQuery(assignmentKeysQuery(clientId, domainId));
