// A client's change requests (four eyes), with filters.
import type { Metadata } from "next";
import { ClientChangeRequests } from "@/components/change-requests/client-change-requests";

type Props = { params: Promise<{ clientId: string }> };

export const metadata: Metadata = { title: "Change requests" };

export default async function ChangeRequestsRoute({ params }: Props) {
  const { clientId } = await params;
  return <ClientChangeRequests clientId={decodeURIComponent(clientId)} />;
}
