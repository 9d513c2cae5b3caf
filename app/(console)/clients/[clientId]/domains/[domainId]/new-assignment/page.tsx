// A new domain default key: the editor with a key field, created with POST (409 if someone made it meanwhile).
import type { Metadata } from "next";
import { AssignmentEditor } from "@/components/assignments/assignment-editor";

type Props = { params: Promise<{ clientId: string; domainId: string }> };

export const metadata: Metadata = { title: "New assignment key" };

export default async function NewAssignmentPage({ params }: Props) {
  const { clientId, domainId } = await params;
  return (
    <AssignmentEditor
      clientId={decodeURIComponent(clientId)}
      domainId={decodeURIComponent(domainId)}
      assignmentKey={null}
    />
  );
}
