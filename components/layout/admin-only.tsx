"use client";
// A page for admins (Access, Audit): its header always; then, while /v2/me answers, loading or its error; for
// anyone else, why they can't see the page. Whether the caller is an admin is the server's word on every request,
// so a demoted admin sees the refusal at once, not after their session expires.
import type { ReactNode } from "react";
import { Notice } from "@/components/ui/notice";
import { QueryFallback } from "@/components/ui/states";
import type { Me } from "@/lib/browser/api-client/types";
import { useMe } from "@/lib/browser/queries/me";

export function AdminOnly({
  header,
  refusal,
  children,
}: {
  header: ReactNode;
  /** The body of the "You need the admin role" notice. */
  refusal: (me: Me) => ReactNode;
  /** The page, for an admin. */
  children: (me: Me) => ReactNode;
}) {
  const me = useMe();
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
          {refusal(me.data)}
        </Notice>
      </>
    );
  }
  return (
    <>
      {header}
      {children(me.data)}
    </>
  );
}
