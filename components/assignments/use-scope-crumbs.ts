"use client";
// Breadcrumbs for a key's pages (Clients › client › domain › [service ›] key › …), with names once they load.
import { paths, type KeyScope } from "@/components/paths";
import type { Crumb } from "@/components/ui/breadcrumbs";
import { useQuery } from "@tanstack/react-query";
import { serviceQuery } from "@/lib/browser/queries/services";
import { useClient, useDomain } from "@/lib/browser/queries/tenancy";

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
