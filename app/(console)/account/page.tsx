// /account: one's own account (change password, sign out everywhere).
import type { Metadata } from "next";
import { getServerSession } from "next-auth";
import { AccountPage } from "@/components/auth/account-page";
import { getAuthOptions } from "@/lib/server/auth/next-auth-options";

export const metadata: Metadata = { title: "My account" };

export default async function AccountRoute() {
  const session = await getServerSession(getAuthOptions());
  const user = (session?.user ?? {}) as {
    email?: string | null;
    role?: string;
    mustChangePassword?: boolean;
  };
  return (
    <AccountPage
      email={user.email ?? ""}
      role={user.role ?? "viewer"}
      mustChangePassword={user.mustChangePassword === true}
    />
  );
}
