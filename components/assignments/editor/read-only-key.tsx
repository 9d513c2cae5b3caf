"use client";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody } from "@/components/ui/card";
import type { Assignment } from "@/lib/browser/api-client/types";
import { CurrentRevision } from "../current-revision";
import { VersionContract } from "../version-contract";

/** What a person who can't change the key sees instead of the form: why, and what it runs now. */
export function ReadOnlyKey({
  active,
  assignmentKey,
  domainName,
  reason,
}: {
  active: Assignment | null;
  /** null on the "new assignment key" page. */
  assignmentKey: string | null;
  domainName: string;
  reason: "role" | "inactive";
}) {
  if (assignmentKey === null)
    return reason === "role" ? (
      <Alert tone="info" title="You can't create assignment keys">
        Creating a key in {domainName} needs the editor or admin role; ask an admin if you need it.
      </Alert>
    ) : (
      <Alert tone="warn" title={`${domainName} is inactive`}>
        The server refuses new keys in an inactive domain; activate the domain first.
      </Alert>
    );
  return (
    <div className="space-y-5">
      {reason === "role" ? (
        <Alert tone="info" title="You can view this key but not change it">
          Changing assignments needs the editor or admin role; ask an admin if you need it.
        </Alert>
      ) : (
        <Alert tone="warn" title={`${domainName} is inactive`}>
          The server refuses changes to an inactive domain&apos;s assignments; activate the domain
          first.
        </Alert>
      )}
      <CurrentRevision
        revision={active}
        emptyText={`No active revision: ${assignmentKey} is not assigned in ${domainName}.`}
      />
      {active ? (
        <Card>
          <CardBody>
            <VersionContract
              modelId={active.model_id}
              version={active.model_version}
              compareTo={null}
              headingId="contract-heading"
            />
          </CardBody>
        </Card>
      ) : null}
    </div>
  );
}
