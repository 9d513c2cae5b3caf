"use client";
// /clients: every tenant the signed-in person may see.
import Link from "next/link";
import { paths } from "@/components/paths";
import { DateTime } from "@/components/ui/date-time";
import { PageHeader } from "@/components/ui/page-header";
import { QueryTableCard } from "@/components/ui/query-table-card";
import { EmptyState } from "@/components/ui/states";
import { Td, Tr } from "@/components/ui/table";
import { useClients } from "@/lib/browser/queries/tenancy";

export function ClientsList() {
  const clients = useClients();
  return (
    <>
      <PageHeader
        crumbs={[{ label: "Clients" }]}
        title="Clients"
        description="Each client is a tenant: its domains, services and assignments are isolated from every other client."
      />
      <QueryTableCard
        headingId="clients-heading"
        title="All clients"
        query={clients}
        loadingLabel="Loading clients…"
        empty={
          <EmptyState title="No clients yet">
            An admin adds clients through the API (POST /v2/clients).
          </EmptyState>
        }
        columns={["Client", "Name", "Created"]}
      >
        {(items) =>
          items.map((client) => (
            <Tr key={client.client_id}>
              <Td>
                <Link
                  className="font-mono font-medium text-accent hover:underline"
                  href={paths.client(client.client_id)}
                >
                  {client.client_id}
                </Link>
              </Td>
              <Td>{client.name}</Td>
              <Td className="text-fg-muted">
                <DateTime value={client.created_at} />
              </Td>
            </Tr>
          ))
        }
      </QueryTableCard>
    </>
  );
}
