"use client";
// /access: people and API tokens, for admins.
import { AdminOnly } from "@/components/layout/admin-only";
import { PageHeader } from "@/components/ui/page-header";
import { PeopleSection } from "./people-section";
import { TokensSection } from "./tokens-section";

export function AccessPage({ ssoName = null }: { ssoName?: string | null }) {
  return (
    <AdminOnly
      header={
        <PageHeader
          crumbs={[{ label: "Access" }]}
          title="Access"
          description="Who may sign in to the console, and which machines may call the API."
        />
      }
      refusal={(me) => (
        <>
          Managing people and API tokens is for admins. You are signed in
          {me.role ? ` as ${me.role}` : ""}; ask an admin to change your role if you need this page.
        </>
      )}
    >
      {(me) => (
        <div className="space-y-6">
          <PeopleSection selfSubject={me.subject} ssoName={ssoName} />
          <TokensSection />
        </div>
      )}
    </AdminOnly>
  );
}
