// Every revision of one service's own assignment (override) for a key, newest first, with diffs and restore.
import type { Metadata } from "next";
import { RevisionHistory } from "@/components/assignments/revision-history";

type Props = {
  params: Promise<{ clientId: string; domainId: string; serviceId: string; key: string }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { serviceId, key } = await params;
  return { title: `History of ${decodeURIComponent(key)} · ${decodeURIComponent(serviceId)}` };
}

export default async function ServiceAssignmentHistoryPage({ params }: Props) {
  const { clientId, domainId, serviceId, key } = await params;
  return (
    <RevisionHistory
      clientId={decodeURIComponent(clientId)}
      domainId={decodeURIComponent(domainId)}
      serviceId={decodeURIComponent(serviceId)}
      assignmentKey={decodeURIComponent(key)}
    />
  );
}
