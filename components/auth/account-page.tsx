"use client";
// My account: change one's password (the same 12–72 byte rule as everywhere) and sign out everywhere. Both end
// every session of the person at once; after a password change this browser signs in again with the new one.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { paths } from "@/components/paths";
import { ApiClientError } from "@/lib/browser/api-client/api-fetch";
import { api, dataOf } from "@/lib/browser/api-client/typed-client";
import { signInWithPassword, signOutAndLeave } from "@/lib/browser/api-client/session";
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from "@/lib/shared/password-rule";
import { passwordChangeBody } from "@/lib/schemas/access";

const formSchema = passwordChangeBody
  .extend({ repeat: z.string() })
  .refine((v) => v.repeat === v.new_password, {
    path: ["repeat"],
    message: "The two new passwords differ",
  });
type FormValues = z.input<typeof formSchema>;
const EMPTY: FormValues = { current_password: "", new_password: "", repeat: "" };

export function AccountPage({
  email,
  role,
  mustChangePassword,
}: {
  email: string;
  role: string;
  mustChangePassword: boolean;
}) {
  const router = useRouter();
  const [failure, setFailure] = useState<string | null>(null);
  const [endingAll, setEndingAll] = useState(false);
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      dataOf(
        await api.POST("/v2/me/password", {
          body: { current_password: values.current_password, new_password: values.new_password },
        }),
      );
    } catch (error) {
      if (error instanceof ApiClientError && error.issueFor("current_password"))
        form.setError("current_password", { message: error.message });
      else if (error instanceof ApiClientError && error.issueFor("new_password"))
        form.setError("new_password", { message: error.issueFor("new_password") });
      else setFailure((error as Error).message);
      return;
    }
    form.reset(EMPTY);
    // Every session ended, this one too: sign this browser back in with the new password.
    const again = await signInWithPassword(email, values.new_password);
    if (!again.ok) {
      await signOutAndLeave("/login");
      return;
    }
    toast.success("Password changed. Every other session of yours has ended.");
    router.refresh();
  });

  const signOutEverywhere = async () => {
    setEndingAll(true);
    try {
      dataOf(await api.DELETE("/v2/me/sessions"));
      // Clears this browser's (now ended) cookie and goes to the sign-in page.
      await signOutAndLeave("/login");
    } catch (error) {
      setEndingAll(false);
      setFailure((error as Error).message);
    }
  };

  return (
    <div className="max-w-xl space-y-5">
      <PageHeader
        crumbs={[{ label: "Clients", href: paths.clients() }, { label: "My account" }]}
        title="My account"
        description={`${email} · ${role}`}
      />
      {mustChangePassword ? (
        <p role="status" className="rounded-md bg-warn-bg p-3 text-sm">
          <strong>Choose your own password to go on.</strong> Yours was set by someone else (at the
          first start, or by an admin); until you change it, the console and the API answer only
          here.
        </p>
      ) : null}
      {failure ? (
        <p role="alert" className="rounded-md bg-danger-bg p-2 text-sm text-danger">
          {failure}
        </p>
      ) : null}
      <Card>
        <CardHeader
          id="change-password"
          title="Change password"
          description="Every session of yours ends, on every device; this browser signs in again with the new password."
        />
        <form
          onSubmit={onSubmit}
          noValidate
          className="space-y-4 p-4"
          aria-labelledby="change-password"
        >
          <FormField
            id="current-password"
            label="Current password"
            error={errors.current_password?.message}
          >
            {(field) => (
              <Input
                {...field}
                type="password"
                autoComplete="current-password"
                {...form.register("current_password")}
              />
            )}
          </FormField>
          <FormField
            id="new-password"
            label="New password"
            hint={`${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} bytes; a few words are easy to type and hard to guess.`}
            error={errors.new_password?.message}
          >
            {(field) => (
              <Input
                {...field}
                type="password"
                autoComplete="new-password"
                {...form.register("new_password")}
              />
            )}
          </FormField>
          <FormField id="repeat-password" label="New password again" error={errors.repeat?.message}>
            {(field) => (
              <Input
                {...field}
                type="password"
                autoComplete="new-password"
                {...form.register("repeat")}
              />
            )}
          </FormField>
          <Button type="submit" variant="primary" busy={isSubmitting}>
            Change password
          </Button>
        </form>
      </Card>
      <Card>
        <CardHeader
          title="Sign out everywhere"
          description="Ends every session of yours at once, on every device and browser, this one included. Use it if you left a session open or think someone else has it."
        />
        <div className="p-4">
          <Button
            type="button"
            variant="danger"
            busy={endingAll}
            onClick={() => void signOutEverywhere()}
          >
            Sign out everywhere
          </Button>
        </div>
      </Card>
    </div>
  );
}
