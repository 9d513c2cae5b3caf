import type { Metadata } from "next";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";
import { OIDC_PROVIDER_ID } from "@/lib/server/auth/next-auth-options";
import { getOidcConfig } from "@/lib/server/auth/oidc";

export const metadata: Metadata = { title: "Sign in" };

// The single sign-on button depends on the server's environment.
export const dynamic = "force-dynamic";

export default function LoginPage() {
  const oidc = getOidcConfig();
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-border bg-surface p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-fg-muted">Model assignment console</p>
        <Suspense>
          <LoginForm sso={oidc ? { id: OIDC_PROVIDER_ID, name: oidc.name } : null} />
        </Suspense>
      </div>
    </main>
  );
}
