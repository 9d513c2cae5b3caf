"use client";
// /access: people and API tokens, for admins. Whether the caller is an admin comes from /v2/me (the server reads
// the role on every request), so a demoted admin sees the refusal at once, not after their session expires.
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { QueryFallback } from "@/components/ui/states";
import { useMe } from "@/lib/browser/queries/me";
import { PeopleSection } from "./people-section";
import { TokensSection } from "./tokens-section";

export function AccessPage() {
  const me = useMe();
  const header = (
    <PageHeader
      crumbs={[{ label: "Access" }]}
      title="Access"
      description="Who may sign in to the console, and which machines may call the API."
    />
  );
  if (me.isPending || me.error)
    return (
      <>
        {header}
        <QueryFallback query={me} loadingLabel="Checking your access…" />
      </>
    );
  if (!me.data.can.admin) {
    return (
      <>
        {header}
        <Notice tone="warn" title="You need the admin role" role="status">
          Managing people and API tokens is for admins. You are signed in
          {me.data.role ? ` as ${me.data.role}` : ""}; ask an admin to change your role if you need
          this page.
        </Notice>
      </>
    );
  }
  return (
    <>
      {header}
      <div className="space-y-6">
        <PeopleSection selfSubject={me.data.subject} />
        <TokensSection />
      </div>
    </>
  );
}
