"use client";
// The audit log (admins): pages of entries newest first, filtered as the URL says.
import { useInfiniteQuery } from "@tanstack/react-query";
import { withQuery } from "@/lib/browser/api-client/api-fetch";
import { api, dataOf } from "@/lib/browser/api-client/typed-client";
import type { AuditEntry, Page } from "@/lib/browser/api-client/types";
import { keys } from "./keys";

export type { AuditEntry };

export const AUDIT_FILTERS = [
  "actor",
  "action",
  "entity_type",
  "entity_id",
  "client_id",
  "since",
  "until",
] as const;
export type AuditFilters = Partial<Record<(typeof AUDIT_FILTERS)[number], string>>;

const AUDIT_PAGE_SIZE = 50;

export function useAuditEntries(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: keys.audit(filters),
    queryFn: ({ pageParam }): Promise<Page<AuditEntry>> =>
      api
        .GET("/v2/audit", {
          params: { query: { ...filters, limit: AUDIT_PAGE_SIZE, cursor: pageParam } },
        })
        .then(dataOf),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    staleTime: 0,
  });
}

/** The CSV export of the same filters (a plain link: the browser downloads it with the session cookie). */
export const auditCsvHref = (filters: AuditFilters) =>
  withQuery("/v2/audit", { ...filters, format: "csv" });
