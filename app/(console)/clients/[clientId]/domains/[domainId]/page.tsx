// /clients/{c}/domains/{d}: the domain's assignment keys and its services.
import type { Metadata } from "next";
import { DomainPage } from "@/components/tenancy/domain-page";

type Props = { params: Promise<{ clientId: string; domainId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { clientId, domainId } = await params;
  return { title: `${domainId} · ${clientId}` };
}

export default async function DomainRoute({ params }: Props) {
  const { clientId, domainId } = await params;
  return <DomainPage clientId={clientId} domainId={domainId} />;
}
