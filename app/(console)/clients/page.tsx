// /clients: the tenants the signed-in person may see.
import type { Metadata } from "next";
import { ClientsList } from "@/components/tenancy/clients-list";

export const metadata: Metadata = { title: "Clients" };

export default function ClientsPage() {
  return <ClientsList />;
}
