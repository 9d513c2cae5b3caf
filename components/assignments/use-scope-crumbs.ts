"use client";
// Breadcrumbs for a key's pages (Clients › client › domain › [service ›] key › …), with names once they load, and
// what every page of one key starts from (useKeyPage).
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { paths, type KeyScope } from "@/components/paths";
import type { Crumb } from "@/components/ui/breadcrumbs";
import type { ScopeKey } from "@/lib/browser/queries/keys";
import { serviceQuery } from "@/lib/browser/queries/services";
import { useClient, useDomain } from "@/lib/browser/queries/tenancy";

/** What a key's page header shows: where the key is, the way back up, and the domain's name. */
export type KeyPage = { scope: ScopeKey; crumbs: Crumb[]; domainName: string };

/** The scope of a key's page, its breadcrumbs (ending in `tail`) and its domain (named by id until it loads). */
export function useKeyPage(
  clientId: string,
  domainId: string,
  serviceId: string | null,
  tail: Crumb[],
) {
  const scope = useMemo<ScopeKey>(
    () => ({ clientId, domainId, serviceId }),
    [clientId, domainId, serviceId],
  );
  const crumbs = useScopeCrumbs(scope, tail);
  const domain = useDomain(clientId, domainId);
  const page: KeyPage = { scope, crumbs, domainName: domain.data?.name ?? domainId };
  return { page, domain };
}

export function useScopeCrumbs(scope: KeyScope, tail: Crumb[]): Crumb[] {
  const client = useClient(scope.clientId);
  const domain = useDomain(scope.clientId, scope.domainId);
  const service = useQuery({
    ...serviceQuery(scope.clientId, scope.domainId, scope.serviceId ?? ""),
    enabled: !!scope.serviceId,
  });
  const crumbs: Crumb[] = [
    { label: "Clients", href: paths.clients() },
    { label: client.data?.name ?? scope.clientId, href: paths.client(scope.clientId) },
    {
      label: domain.data?.name ?? scope.domainId,
      href: paths.domain(scope.clientId, scope.domainId),
    },
  ];
  if (scope.serviceId) {
    crumbs.push({
      label: service.data?.name ? `${service.data.name} (${scope.serviceId})` : scope.serviceId,
      href: paths.service(scope.clientId, scope.domainId, scope.serviceId),
    });
  }
  return [...crumbs, ...tail];
}
