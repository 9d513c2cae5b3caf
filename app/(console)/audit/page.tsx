// /audit: who changed what, when and why (admins).
import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditPage } from "@/components/audit/audit-page";
import { LoadingState } from "@/components/ui/states";

export const metadata: Metadata = { title: "Audit" };

export default function AuditRoute() {
  // The filters live in the URL; useSearchParams needs a Suspense boundary.
  return (
    <Suspense fallback={<LoadingState label="Loading the audit log…" />}>
      <AuditPage />
    </Suspense>
  );
}
