"use client";
// /clients/{c}: the client's domains, with their status and how many active services each has; for admins, the
// client's webhooks.
import Link from "next/link";
import { paths } from "@/components/paths";
import { ButtonLink } from "@/components/ui/button-link";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { QueryTableCard } from "@/components/ui/query-table-card";
import { EmptyState } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import { WebhooksSection } from "@/components/webhooks/webhooks-section";
import { useMe } from "@/lib/browser/queries/me";
import { useClient, useDomains } from "@/lib/browser/queries/tenancy";
import { ClientApprovals } from "./client-approvals";
import { ClientChangeReasons } from "./client-change-reasons";
import { DomainStatusBadge } from "./status-badges";

export function ClientDomains({ clientId }: { clientId: string }) {
  const client = useClient(clientId);
  const domains = useDomains(clientId);
  const me = useMe();
  const clientName = client.data?.name ?? clientId;
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Clients", href: paths.clients() }, { label: clientName }]}
        title={clientName}
        description={
          <>
            Client <span className="font-mono">{clientId}</span>
            {domains.data
              ? ` · ${domains.data.items.length} ${domains.data.items.length === 1 ? "domain" : "domains"}`
              : null}
          </>
        }
        actions={
          <ButtonLink href={paths.changeRequests(clientId)}>
            Change requests
            {client.data && client.data.change_policy.required_approvals > 0
              ? ` (${client.data.change_policy.required_approvals} approval${client.data.change_policy.required_approvals === 1 ? "" : "s"} required)`
              : ""}
          </ButtonLink>
        }
      />
      <QueryTableCard
        headingId="domains-heading"
        title="Domains"
        description="Regions or product areas of this client. Open one to manage its assignments and services."
        query={domains}
        loadingLabel="Loading domains…"
        empty={
          <EmptyState title="No domains yet">
            An admin adds domains through the API (POST /v2/clients/{clientId}/domains).
          </EmptyState>
        }
        columns={[
          "Domain",
          "Name",
          "Status",
          { label: "Active services", className: "text-right" },
          "Updated",
        ]}
      >
        {(items) =>
          items.map((domain) => (
            <Tr key={domain.domain_id}>
              <Td>
                <Link
                  className="font-mono font-medium text-accent hover:underline"
                  href={paths.domain(clientId, domain.domain_id)}
                >
                  {domain.domain_id}
                </Link>
              </Td>
              <Td>{domain.name}</Td>
              <Td>
                <DomainStatusBadge status={domain.status} />
              </Td>
              <Td className="text-right tabular-nums">{domain.service_count.toLocaleString()}</Td>
              <Td className="text-fg-muted">
                <DateTime value={domain.updated_at} />
              </Td>
            </Tr>
          ))
        }
      </QueryTableCard>
      {me.data?.can.admin && client.data ? (
        <ClientChangeReasons key={String(client.data.require_change_reason)} client={client.data} />
      ) : null}
      {me.data?.can.admin && client.data ? (
        <ClientApprovals key={JSON.stringify(client.data.change_policy)} client={client.data} />
      ) : null}
      {me.data?.can.admin ? (
        <div className="mt-6 space-y-6">
          <WebhooksSection clientId={clientId} />
        </div>
      ) : null}
    </>
  );
}
