"use client";
// /clients: every tenant the signed-in person may see.
import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, QueryState } from "@/components/ui/states";
import { Table, Td, Th, Tr } from "@/components/ui/table";
import { useClients } from "@/lib/queries/tenancy";
import { formatWhen } from "./format";
import { paths } from "./paths";

export function ClientsList() {
  const clients = useClients();
  return (
    <>
      <PageHeader crumbs={[{ label: "Clients" }]} title="Clients" description="Each client is a tenant: its domains, services and assignments are isolated from every other client." />
      <Card>
        <CardHeader title="All clients" id="clients-heading" />
        <QueryState query={clients} loadingLabel="Loading clients…">
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState title="No clients yet">An admin adds clients through the API (POST /v2/clients).</EmptyState>
            ) : (
              <Table aria-labelledby="clients-heading">
                <thead>
                  <tr>
                    <Th>Client</Th>
                    <Th>Name</Th>
                    <Th>Created</Th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((client) => (
                    <Tr key={client.client_id}>
                      <Td>
                        <Link className="font-mono font-medium text-accent hover:underline" href={paths.client(client.client_id)}>
                          {client.client_id}
                        </Link>
                      </Td>
                      <Td>{client.name}</Td>
                      <Td className="text-fg-muted">{formatWhen(client.created_at)}</Td>
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
