"use client";
// /clients/{c}/domains/{d}: the domain's status, its assignment keys, its services and its recent changes (live).
import { Suspense } from "react";
import dynamic from "next/dynamic";
import { paths } from "@/components/paths";
import { DomainSyncCard } from "@/components/observations/domain-sync-card";
import { ServicesTable } from "@/components/services/services-table";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState, QueryFallback } from "@/components/ui/states";
import { useMe } from "@/lib/browser/queries/me";
import { useClient, useDomain } from "@/lib/browser/queries/tenancy";
import { UpcomingChangesCard } from "@/components/change-requests/upcoming-changes-card";
import { AssignmentKeysCard } from "./assignment-keys-card";
import { RecentChangesCard } from "./recent-changes-card";
import { DomainStatusBadge } from "./status-badges";

// The CSV import (papaparse and the contract checks) loads only for people who may edit services.
const ServicesCsvImport = dynamic(
  () => import("@/components/services/services-csv-import").then((m) => m.ServicesCsvImport),
  { ssr: false, loading: () => <LoadingState label="Loading CSV import…" /> },
);

export function DomainPage({ clientId, domainId }: { clientId: string; domainId: string }) {
  const client = useClient(clientId);
  const domain = useDomain(clientId, domainId);
  const me = useMe();
  const crumbs = [
    { label: "Clients", href: paths.clients() },
    { label: client.data?.name ?? clientId, href: paths.client(clientId) },
    { label: domain.data?.name ?? domainId },
  ];

  if (domain.isPending || domain.error) {
    return (
      <>
        <PageHeader crumbs={crumbs} title={domainId} />
        <QueryFallback query={domain} loadingLabel="Loading domain…" />
      </>
    );
  }
  const active = domain.data.status === "active";
  const can = me.data?.can;
  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={domain.data.name}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <span>
              Domain <span className="font-mono">{domainId}</span>
            </span>
            <DomainStatusBadge status={domain.data.status} />
            <span>
              {domain.data.service_count.toLocaleString()} active{" "}
              {domain.data.service_count === 1 ? "service" : "services"}
            </span>
          </span>
        }
      />
      <div className="space-y-6">
        {!active ? (
          <Notice tone="warn" title="This domain is inactive: writes are refused">
            The server refuses every assignment change and service edit in an inactive domain (422
            “domain not active”). You can still browse its services, assignments and history; an
            admin must activate the domain before anything here can change.
          </Notice>
        ) : null}
        <UpcomingChangesCard clientId={clientId} domainId={domainId} />
        <AssignmentKeysCard
          clientId={clientId}
          domainId={domainId}
          canWrite={active && !!can?.write_assignments}
        />
        <DomainSyncCard clientId={clientId} domainId={domainId} />
        {/* The table reads its filters from the URL; useSearchParams needs a Suspense boundary. */}
        <Suspense fallback={<LoadingState label="Loading services…" />}>
          <ServicesTable
            clientId={clientId}
            domainId={domainId}
            canEdit={active && !!can?.write_services}
          />
        </Suspense>
        {active && can?.write_services ? (
          <ServicesCsvImport clientId={clientId} domainId={domainId} />
        ) : null}
        <RecentChangesCard clientId={clientId} domainId={domainId} />
      </div>
    </>
  );
}
