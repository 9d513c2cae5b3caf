"use client";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/browser/api-client/api-fetch";
import { keys } from "./keys";

export type Me = {
  subject: string;
  via: "token" | "session";
  scopes: string[];
  clients: string[] | "*";
  role: "viewer" | "editor" | "admin" | null;
  can: {
    write_assignments: boolean;
    write_services: boolean;
    write_models: boolean;
    admin: boolean;
  };
};

export const meQuery = () =>
  queryOptions({ queryKey: keys.me(), queryFn: () => apiFetch<Me>("/v2/me"), staleTime: 60_000 });

export function useMe() {
  return useQuery(meQuery());
}
