"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";

const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
});
type LoginValues = z.infer<typeof loginSchema>;

/** Only same-site paths, so a crafted link can't send people elsewhere after signing in. */
function safeCallback(raw: string | null): string {
  return raw && raw.startsWith("/") && !raw.startsWith("//") ? raw : "/clients";
}

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<LoginValues>({ resolver: zodResolver(loginSchema), defaultValues: { email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (!result || result.error) {
      setFailure("Wrong email or password, or the account is disabled.");
      return;
    }
    router.replace(safeCallback(params.get("callbackUrl")));
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="mt-5 space-y-4">
      <div className="space-y-1">
        <Label htmlFor="email">Email</Label>
        <Input id="email" type="email" autoComplete="username" autoFocus aria-invalid={!!errors.email} aria-describedby="email-error" {...form.register("email")} />
        <FieldError id="email-error" message={errors.email?.message} />
      </div>
      <div className="space-y-1">
        <Label htmlFor="password">Password</Label>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={!!errors.password}
          aria-describedby="password-error"
          {...form.register("password")}
        />
        <FieldError id="password-error" message={errors.password?.message} />
      </div>
      {failure ? (
        <p role="alert" className="rounded-md bg-danger-bg p-2 text-sm text-danger">
          {failure}
        </p>
      ) : null}
      <Button type="submit" variant="primary" className="w-full" busy={isSubmitting}>
        Sign in
      </Button>
      <p className="text-xs text-fg-muted">
        First start? The admin&apos;s email and one-time password were printed in the server&apos;s terminal.
      </p>
    </form>
  );
}
