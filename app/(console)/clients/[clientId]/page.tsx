// /clients/{c}: a client's domains.
import type { Metadata } from "next";
import { ClientDomains } from "@/components/tenancy/client-domains";

type Props = { params: Promise<{ clientId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { clientId } = await params;
  return { title: `Domains · ${clientId}` };
}

export default async function ClientPage({ params }: Props) {
  const { clientId } = await params;
  return <ClientDomains clientId={clientId} />;
}
