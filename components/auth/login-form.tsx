"use client";
import { safeCallbackPath } from "@/lib/auth/safe-callback";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { signInWithPassword } from "@/lib/api-client/session";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
});
type LoginValues = z.infer<typeof loginSchema>;

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<LoginValues>({
    resolver: zodResolver(loginSchema),
    defaultValues: { email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    const ok = await signInWithPassword(values.email, values.password).catch(() => false);
    if (!ok) {
      setFailure("Wrong email or password, or the account is disabled.");
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
      <p className="text-xs text-fg-muted">
        First start? The admin&apos;s email and one-time password were printed in the server&apos;s
        terminal.
      </p>
    </form>
  );
}
