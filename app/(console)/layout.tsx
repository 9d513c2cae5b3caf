// Every console page requires a signed-in person; the shell gives them navigation and a way out.
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/layout/console-shell";
import { getAuthOptions } from "@/lib/server/auth/next-auth-options";
import { APP_VERSION } from "@/lib/shared/version";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(getAuthOptions());
  if (!session?.user) redirect("/login");
  const user = session.user as {
    email?: string | null;
    name?: string | null;
    role?: string;
    mustChangePassword?: boolean;
  };
  return (
    <ConsoleShell
      version={APP_VERSION}
      user={{
        email: user.email ?? "",
        name: user.name ?? user.email ?? "",
        role: user.role ?? "viewer",
        mustChangePassword: user.mustChangePassword === true,
      }}
    >
      {children}
    </ConsoleShell>
  );
}
