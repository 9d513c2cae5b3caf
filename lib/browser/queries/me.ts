"use client";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, dataOf } from "@/lib/browser/api-client/typed-client";
import type { Me } from "@/lib/browser/api-client/types";
import { keys } from "./keys";

const meQuery = () =>
  queryOptions({
    queryKey: keys.me(),
    queryFn: (): Promise<Me> => api.GET("/v2/me").then(dataOf),
    staleTime: 60_000,
  });

export function useMe() {
  return useQuery(meQuery());
}
