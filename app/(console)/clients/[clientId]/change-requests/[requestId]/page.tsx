// One change request: its changes and impact, the reviews, approve / reject / comment, apply, withdraw.
import type { Metadata } from "next";
import { ChangeRequestPage } from "@/components/change-requests/change-request-page";

type Props = { params: Promise<{ clientId: string; requestId: string }> };

export const metadata: Metadata = { title: "Change request" };

export default async function ChangeRequestRoute({ params }: Props) {
  const { clientId, requestId } = await params;
  return (
    <ChangeRequestPage clientId={decodeURIComponent(clientId)} id={decodeURIComponent(requestId)} />
  );
}
