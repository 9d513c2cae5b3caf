"use client";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/browser/api-client/api-fetch";
import type { Me } from "@/lib/browser/api-client/types";
import { keys } from "./keys";

const meQuery = () =>
  queryOptions({ queryKey: keys.me(), queryFn: () => apiFetch<Me>("/v2/me"), staleTime: 60_000 });

export function useMe() {
  return useQuery(meQuery());
}
