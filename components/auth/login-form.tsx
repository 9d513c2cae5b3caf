"use client";
import { safeCallbackPath } from "@/lib/shared/safe-callback";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { signInWithPassword, signInWithProvider } from "@/lib/browser/api-client/session";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { emailAddress } from "@/lib/schemas/common";

// The same email rule as the server's people API (admin@localhost and ops@intranet are valid): the form is
// never stricter than the server.
const loginSchema = z.object({
  email: emailAddress,
  password: z.string().min(1, "Enter your password"),
});
type LoginValues = z.infer<typeof loginSchema>;

/** The ?error= codes after a single sign-on attempt (next-auth's and lib/server/auth/oidc.ts's), in words. */
const SSO_FAILURES: Record<string, string> = {
  AccessDenied:
    "Your identity provider account has no access to this console, or it is disabled here. Ask an admin.",
  SsoNoIdentity:
    "Your identity provider did not say who you are (no issuer or subject in its answer). Ask an admin.",
  SsoNoEmail:
    "Your identity provider did not send your email address, which the console needs the first time. Ask an admin.",
  SsoEmailNotVerified:
    "Your identity provider has not verified your email address, so the console can't tell it is yours. Verify it with your identity provider, then try again.",
  SsoPasswordAccount:
    "A console account with your email already signs in with a password, and single sign-on can't take it over. Sign in with the password, or ask an admin to allow single sign-on for it.",
  SsoOtherIdentity:
    "The console account with your email is linked to another identity provider account. Ask an admin to allow single sign-on for it again.",
  SsoEmailTaken:
    "Your identity provider now gives you an email address that another console account has. Ask an admin.",
};

function ssoFailure(code: string | null): string | null {
  if (!code) return null;
  return SSO_FAILURES[code] ?? "Single sign-on did not complete; try again.";
}

export function LoginForm({ sso }: { sso?: { id: string; name: string } | null }) {
  const router = useRouter();
  const params = useSearchParams();
  const [failure, setFailure] = useState<string | null>(() => ssoFailure(params.get("error")));
  const [redirecting, setRedirecting] = useState(false);
  const form = useForm<LoginValues>({
    resolver: zodResolver(loginSchema),
    defaultValues: { email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    const result = await signInWithPassword(values.email, values.password).catch(() => ({
      ok: false as const,
      message: "Could not reach the server; check your connection and try again.",
    }));
    if (!result.ok) {
      setFailure(result.message);
      return;
    }
    router.replace(safeCallbackPath(params.get("callbackUrl")));
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="mt-5 space-y-4">
      <FormField id="email" label="Email" error={errors.email?.message}>
        {(field) => (
          <Input
            {...field}
            type="email"
            autoComplete="username"
            autoFocus
            {...form.register("email")}
          />
        )}
      </FormField>
      <FormField id="password" label="Password" error={errors.password?.message}>
        {(field) => (
          <Input
            {...field}
            type="password"
            autoComplete="current-password"
            {...form.register("password")}
          />
        )}
      </FormField>
      {failure ? (
        <p role="alert" className="rounded-md bg-danger-bg p-2 text-sm text-danger">
          {failure}
        </p>
      ) : null}
      <Button type="submit" variant="primary" className="w-full" busy={isSubmitting}>
        Sign in
      </Button>
      {sso ? (
        <Button
          type="button"
          variant="secondary"
          className="w-full"
          busy={redirecting}
          onClick={() => {
            setRedirecting(true);
            signInWithProvider(sso.id, safeCallbackPath(params.get("callbackUrl"))).catch(
              (error: Error) => {
                setRedirecting(false);
                setFailure(error.message);
              },
            );
          }}
        >
          Sign in with {sso.name}
        </Button>
      ) : null}
      <p className="text-xs text-fg-muted">
        First start? The admin&apos;s email and one-time password were printed in the server&apos;s
        terminal.
      </p>
    </form>
  );
}
