// The domain default editor for one assignment key (?restore=<assignment_id> starts from an older revision).
import type { Metadata } from "next";
import { AssignmentEditor } from "@/components/assignments/assignment-editor";

type Props = {
  params: Promise<{ clientId: string; domainId: string; key: string }>;
  searchParams: Promise<{ restore?: string | string[] }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { domainId, key } = await params;
  return { title: `${decodeURIComponent(key)} · ${decodeURIComponent(domainId)}` };
}

export default async function AssignmentKeyPage({ params, searchParams }: Props) {
  const { clientId, domainId, key } = await params;
  const { restore } = await searchParams;
  return (
    <AssignmentEditor
      clientId={decodeURIComponent(clientId)}
      domainId={decodeURIComponent(domainId)}
      assignmentKey={decodeURIComponent(key)}
      restoreFrom={typeof restore === "string" ? restore : null}
    />
  );
}
