"use client";
import type { ReactNode } from "react";
import { paths } from "@/components/paths";
import { ButtonLink } from "@/components/ui/button-link";
import { PageHeader } from "@/components/ui/page-header";
import type { KeyPage } from "../use-scope-crumbs";

/** The editor's title and its link to the key's history; `children` are more actions after it. */
export function EditorHeader({
  page: { scope, crumbs, domainName },
  assignmentKey,
  children,
}: {
  page: KeyPage;
  /** null on the "new assignment" page. */
  assignmentKey: string | null;
  children?: ReactNode;
}) {
  return (
    <PageHeader
      crumbs={crumbs}
      title={
        assignmentKey === null ? (
          "New assignment key"
        ) : (
          <span className="font-mono">{assignmentKey}</span>
        )
      }
      description={
        assignmentKey === null
          ? `A capability every service of ${domainName} runs unless it has its own assignment for the key.`
          : `Domain default for ${domainName}: every service without its own assignment for this key runs it.`
      }
      actions={
        assignmentKey !== null ? (
          <>
            <ButtonLink href={paths.history(scope, assignmentKey)}>History</ButtonLink>
            {children}
          </>
        ) : null
      }
    />
  );
}
