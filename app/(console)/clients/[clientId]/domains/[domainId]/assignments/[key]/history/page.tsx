// Every revision of a domain default key, newest first, with diffs and restore.
import type { Metadata } from "next";
import { RevisionHistory } from "@/components/assignments/revision-history";

type Props = { params: Promise<{ clientId: string; domainId: string; key: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { domainId, key } = await params;
  return { title: `History of ${decodeURIComponent(key)} · ${decodeURIComponent(domainId)}` };
}

export default async function AssignmentHistoryPage({ params }: Props) {
  const { clientId, domainId, key } = await params;
  return (
    <RevisionHistory
      clientId={decodeURIComponent(clientId)}
      domainId={decodeURIComponent(domainId)}
      serviceId={null}
      assignmentKey={decodeURIComponent(key)}
    />
  );
}
