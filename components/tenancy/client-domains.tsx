"use client";
// /clients/{c}: the client's domains, with their status and how many active services each has.
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useClient, useDomains } from "@/lib/queries/tenancy";
import { formatWhen } from "./format";
import { paths } from "./paths";
import { DomainStatusBadge } from "./status-badges";

export function ClientDomains({ clientId }: { clientId: string }) {
  const client = useClient(clientId);
  const domains = useDomains(clientId);
  const clientName = client.data?.name ?? clientId;
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Clients", href: paths.clients() }, { label: clientName }]}
        title={clientName}
        description={
          <>
            Client <span className="font-mono">{clientId}</span>
            {domains.data ? ` · ${domains.data.items.length} ${domains.data.items.length === 1 ? "domain" : "domains"}` : null}
          </>
        }
      />
      <Card>
        <CardHeader title="Domains" id="domains-heading" description="Regions or product areas of this client. Open one to manage its assignments and services." />
        <QueryState query={domains} loadingLabel="Loading domains…">
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState title="No domains yet">An admin adds domains through the API (POST /v2/clients/{clientId}/domains).</EmptyState>
            ) : (
              <Table aria-labelledby="domains-heading">
                <thead>
                  <tr>
                    <Th>Domain</Th>
                    <Th>Name</Th>
                    <Th>Status</Th>
                    <Th className="text-right">Active services</Th>
                    <Th>Updated</Th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((domain) => (
                    <Tr key={domain.domain_id}>
                      <Td>
                        <Link className="font-mono font-medium text-accent hover:underline" href={paths.domain(clientId, domain.domain_id)}>
                          {domain.domain_id}
                        </Link>
                      </Td>
                      <Td>{domain.name}</Td>
                      <Td>
                        <DomainStatusBadge status={domain.status} />
                      </Td>
                      <Td className="text-right tabular-nums">{domain.service_count.toLocaleString()}</Td>
                      <Td className="text-fg-muted">{formatWhen(domain.updated_at)}</Td>
                    </Tr>
                  ))}
                </tbody>
              </Table>
            )
          }
        </QueryState>
      </Card>
    </>
  );
}
