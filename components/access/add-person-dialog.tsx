"use client";
// "Add person": email, name, role and an optional password. Without one the server generates it and answers it
// this once, so it is shown in a second dialog with a copy button.
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FieldError, Input, Label, Select } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";
import { SecretOnce } from "@/components/ui/secret-once";
import { applyServerError } from "@/components/ui/server-errors";
import { ROLES } from "@/lib/auth/scopes";
import { useCreateUser, type UserCreated } from "@/lib/queries/access";
import { roleSchema, userCreateBody } from "@/lib/schemas/access";
import { ROLE_HELP } from "./access-labels";

const formSchema = z.object({
  email: userCreateBody.shape.email,
  name: z.string().trim().max(200, "Use at most 200 characters"),
  role: roleSchema,
  // Empty: the server generates one.
  password: z.literal("").or(userCreateBody.shape.password.unwrap()),
});
type FormValues = z.input<typeof formSchema>;
const EMPTY: FormValues = { email: "", name: "", role: "viewer", password: "" };

export function AddPersonDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const createUser = useCreateUser();
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<(UserCreated & { password: string }) | null>(null);
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: EMPTY });
  const { errors, isSubmitting } = form.formState;
  const role = useWatch({ control: form.control, name: "role" });

  const close = () => {
    form.reset(EMPTY);
    setFailure(null);
    onOpenChange(false);
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const user = await createUser.mutateAsync({
        email: values.email,
        role: values.role,
        ...(values.name ? { name: values.name } : {}),
        ...(values.password ? { password: values.password } : {}),
      });
      close();
      if (user.password) setCreated({ ...user, password: user.password });
      else toast.success(`Added ${user.email} as ${user.role}`);
    } catch (error) {
      setFailure(
        applyServerError(error, form.setError, {
          fields: ["email", "name", "role", "password"],
          conflictField: "email",
        }),
      );
    }
  });

  return (
    <>
      <Dialog
        open={open}
        onOpenChange={(next) => (next ? onOpenChange(true) : close())}
        title="Add a person"
        description="They sign in to the console with their email and password; the role decides what they may change."
      >
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <div className="space-y-1">
            <Label htmlFor="person-email">Email</Label>
            <Input
              id="person-email"
              type="email"
              autoFocus
              autoComplete="off"
              aria-invalid={!!errors.email}
              aria-describedby="person-email-error"
              {...form.register("email")}
            />
            <FieldError id="person-email-error" message={errors.email?.message} />
          </div>
          <div className="space-y-1">
            <Label htmlFor="person-name">Name (optional)</Label>
            <Input
              id="person-name"
              autoComplete="off"
              aria-invalid={!!errors.name}
              aria-describedby="person-name-error"
              {...form.register("name")}
            />
            <FieldError id="person-name-error" message={errors.name?.message} />
          </div>
          <div className="space-y-1">
            <Label htmlFor="person-role">Role</Label>
            <Select
              id="person-role"
              aria-describedby="person-role-help person-role-error"
              aria-invalid={!!errors.role}
              {...form.register("role")}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
            <p id="person-role-help" className="text-xs text-fg-muted">
              {ROLE_HELP[role]}
            </p>
            <FieldError id="person-role-error" message={errors.role?.message} />
          </div>
          <div className="space-y-1">
            <Label htmlFor="person-password">Password (optional)</Label>
            <Input
              id="person-password"
              type="password"
              autoComplete="new-password"
              aria-invalid={!!errors.password}
              aria-describedby="person-password-help person-password-error"
              {...form.register("password")}
            />
            <p id="person-password-help" className="text-xs text-fg-muted">
              Leave empty to have a strong one generated; it is shown to you once.
            </p>
            <FieldError id="person-password-error" message={errors.password?.message} />
          </div>
          {failure ? (
            <Notice tone="danger" role="alert" title="The person was not added">
              {failure}
            </Notice>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" busy={isSubmitting}>
              Add person
            </Button>
          </div>
        </form>
      </Dialog>

      <Dialog
        open={created !== null}
        onOpenChange={(next) => {
          if (!next) setCreated(null);
        }}
        title={created ? `Password for ${created.email}` : "Password"}
        description={
          created
            ? `${created.email} was added as ${created.role}. Give them this password over a channel you trust.`
            : undefined
        }
      >
        {created ? (
          <div className="space-y-4">
            <SecretOnce
              label="Generated password"
              copyLabel="Copy password"
              value={created.password}
              rows={1}
              warning="The console does not keep this password and can't show it again. Copy it now; if it is lost, set a new one for them."
            />
            <div className="flex justify-end">
              <Button onClick={() => setCreated(null)}>Done</Button>
            </div>
          </div>
        ) : null}
      </Dialog>
    </>
  );
}
