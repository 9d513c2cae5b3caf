"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOutAndLeave } from "@/lib/browser/api-client/session";
import type { ReactNode } from "react";
import { paths } from "@/components/paths";
import { cn } from "@/components/ui/cn";
import { ReviewQueueLink } from "@/components/change-requests/review-queue";

const NAV = [
  { href: paths.clients(), label: "Clients" },
  { href: paths.models(), label: "Model registry" },
  { href: paths.rollouts(), label: "Rollouts" },
  { href: paths.access(), label: "Access", adminOnly: true },
  { href: paths.audit(), label: "Audit", adminOnly: true },
];

export function ConsoleShell({
  user,
  version,
  children,
}: {
  user: { email: string; name: string; role: string; mustChangePassword: boolean };
  /** The app's version (package.json), shown in the footer. */
  version: string;
  children: ReactNode;
}) {
  const pathname = usePathname();
  // A password someone else chose (first start, an admin): only My account until the person chooses their own.
  const gated = user.mustChangePassword && pathname !== paths.account();
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-surface focus:p-2"
      >
        Skip to content
      </a>
      <header className="border-b border-border bg-surface">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-2.5">
          <Link href={paths.clients()} className="font-semibold tracking-tight">
            Model assignments
          </Link>
          <nav aria-label="Main" className="flex items-center gap-1 text-sm">
            {NAV.filter((n) => !n.adminOnly || user.role === "admin").map((n) => {
              const active = pathname === n.href || pathname.startsWith(`${n.href}/`);
              return (
                <Link
                  key={n.href}
                  href={n.href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "rounded px-2.5 py-1.5 hover:bg-muted",
                    active && "bg-muted font-medium",
                  )}
                >
                  {n.label}
                </Link>
              );
            })}
            {user.role !== "viewer" ? (
              <ReviewQueueLink
                active={pathname === paths.reviews()}
                enabled={!user.mustChangePassword}
              />
            ) : null}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <Link
              href={paths.account()}
              className="rounded px-2 py-1 text-fg-muted hover:bg-muted"
              aria-current={pathname === paths.account() ? "page" : undefined}
              title="My account"
            >
              {user.name}{" "}
              <span className="rounded bg-muted px-1.5 py-0.5 text-xs">{user.role}</span>
            </Link>
            <button
              type="button"
              className="rounded px-2 py-1 hover:bg-muted"
              onClick={() => void signOutAndLeave("/login")}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {gated ? (
          <div className="max-w-xl space-y-3">
            <h1 className="text-xl font-semibold">Choose your own password first</h1>
            <p className="text-sm">
              Your password was set by someone else (at the first start, or by an admin). Choose one
              only you know before you go on.
            </p>
            <Link href={paths.account()} className="text-sm font-medium text-accent underline">
              Go to My account to change it
            </Link>
          </div>
        ) : (
          children
        )}
      </main>
      <footer className="mx-auto max-w-7xl px-4 pt-2 pb-6 text-xs text-fg-muted">
        Model assignment console <span data-testid="app-version">{version}</span> · API v2 ·{" "}
        <Link href="/docs/api" className="underline hover:text-fg">
          API reference
        </Link>
      </footer>
    </div>
  );
}
