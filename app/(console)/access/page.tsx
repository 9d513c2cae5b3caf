// /access: people and API tokens (admins).
import type { Metadata } from "next";
import { AccessPage } from "@/components/access/access-page";
import { getOidcConfig } from "@/lib/server/auth/oidc";

export const metadata: Metadata = { title: "Access" };

// Whether single sign-on is configured depends on the server's environment.
export const dynamic = "force-dynamic";

export default function AccessRoute() {
  return <AccessPage ssoName={getOidcConfig()?.name ?? null} />;
}
