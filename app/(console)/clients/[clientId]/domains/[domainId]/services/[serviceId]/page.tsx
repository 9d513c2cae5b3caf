// /clients/{c}/domains/{d}/services/{s}: one service's features, effective assignments and overrides.
import type { Metadata } from "next";
import { ServicePage } from "@/components/services/service-page";

type Props = { params: Promise<{ clientId: string; domainId: string; serviceId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { domainId, serviceId } = await params;
  return { title: `${serviceId} · ${domainId}` };
}

export default async function ServiceRoute({ params }: Props) {
  const { clientId, domainId, serviceId } = await params;
  return <ServicePage clientId={clientId} domainId={domainId} serviceId={serviceId} />;
}
